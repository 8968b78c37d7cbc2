// What the seeded fuzz tests share: a small deterministic generator (mulberry32) and the
// seed, which SPTLS_FUZZ_SEED overrides to replay a failure the test printed.

export function fuzzSeed(fallback: number): number {
  const given = process.env['SPTLS_FUZZ_SEED'];
  return given === undefined ? fallback : Number(given);
}

/** Uniform numbers in [0, 1), the same sequence for the same seed on every machine. */
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
