// Seeded random numbers for the tests that generate their inputs (mulberry32: small,
// fast, and the same sequence on every machine, so a failing seed can be replayed).
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of a fuzz run: `fallback`, or SPTLS_FUZZ_SEED to replay a failure the test printed. */
export function fuzzSeed(fallback: number): number {
  const given = process.env['SPTLS_FUZZ_SEED'];
  return given === undefined ? fallback : Number(given);
}
