// Language-core benchmark: generated topologies of 1,000 / 10,000 / 50,000 lines
// (clients dominate, as at real sites), timed cold in a fresh process and warm in
// this one. Run through `npm run bench`; prints a table and JSON.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '../grammar/src/index.ts';
import { tokenize } from '../grammar/src/tokens.ts';
import { analyze } from '../server/src/analysis/engine.ts';
import { buildModel } from '../server/src/analysis/model.ts';
import { Chains } from '../server/src/analysis/chains.ts';
import { RULE_CHECKS } from '../server/src/analysis/rules/index.ts';

const noFiles = { read: () => ({ ok: false as const, reason: 'benchmark: no files' }) };

/** A realistic topology of about `lines` lines. */
export function generateTopology(lines: number): string {
  const out: string[] = [
    '# generated benchmark topology',
    'ca Root { subject "CN=Root,O=Bench,C=US" key rsa 4096 valid 20 years }',
    'ca Issuing { signed-by Root subject "CN=Issuing,O=Bench,C=US" }',
  ];
  const servers = Math.max(2, Math.round(lines / 500));
  for (let s = 0; s < servers; s++) {
    out.push(`server SP${s} {`, `  address "sp${s}.example.com"`, '  port 1500', '  version 8.1.22',
      '  certificate signed-by Issuing', '  trusts Root', s === 0 ? '  hub' : '  spoke-of SP0', '}',
      `storage-agent STA${s} { address "sta${s}.example.com" port 1502 certificate signed-by Issuing trusts Root }`,
      `db2 DB${s} { instance "tsminst1" port 51500 }`,
      `SP${s} -> DB${s} plain`, `STA${s} -> SP${s}`);
    if (s > 0) out.push(`SP0 -> SP${s} { purpose hub-spoke }`);
  }
  out.push('operations-center OC { trusts Root }', 'OC -> SP0', 'ldap DIR { address "ldap.example.com" port 636 certificate signed-by Issuing }', 'SP0 -> DIR');
  let n = 0;
  while (out.length < lines) {
    const s = n % servers;
    out.push(`client NODE${n} { address "node${n}.example.com" version 8.1.22 trusts Root }`);
    out.push(`NODE${n} -> SP${s}`);
    if (n % 10 === 0) out.push(`NODE${n} -> STA${s}  # LAN-free`);
    n++;
  }
  return `${out.join('\n')}\n`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function coldRun(file: string): { total: number; rss: number } {
  const code = `const t0=performance.now();const {analyze}=await import(${JSON.stringify(new URL('../server/src/analysis/engine.ts', import.meta.url).href)});const fs=await import('node:fs');const a=analyze(fs.readFileSync(${JSON.stringify(file)},'utf8'),{certificateFiles:{read:()=>({ok:false,reason:''})}});console.log(JSON.stringify({total:performance.now()-t0,rss:process.resourceUsage().maxRSS*1024,d:a.diagnostics.length}))`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

const dir = mkdtempSync(join(tmpdir(), 'sptls-bench-'));
const rows = [];
for (const lines of [1_000, 10_000, 50_000]) {
  const text = generateTopology(lines);
  const file = join(dir, `topology-${lines}.sptls`);
  writeFileSync(file, text);
  const cold = coldRun(file);
  const tokens = tokenize(text).tokens.length;
  const reps = lines >= 50_000 ? 10 : 20;
  // JSON.parse of the same model is the yardstick; each run parses it right after the
  // analysis, so that both are sampled over the same seconds of a machine whose speed drifts.
  const json = JSON.stringify({ statements: analyze(text, { certificateFiles: noFiles, now: new Date() }).parse.ast.statements });
  // Each run times the parse and the analysis of that parse (model, chains, every rule).
  const parseMs: number[] = [];
  const analysisMs: number[] = [];
  const totalMs: number[] = [];
  const jsonMs: number[] = [];
  let diagnostics = 0;
  for (let i = 0; i < reps + 3; i++) {
    const t0 = performance.now();
    const parsed = parse(text);
    const t1 = performance.now();
    const model = buildModel(parsed.ast);
    let found = 0;
    const ctx = { model, chains: new Chains(model, noFiles), report: () => { found++; }, now: new Date(), expiryWarningDays: 30 };
    for (const check of RULE_CHECKS) check(ctx);
    const t2 = performance.now();
    JSON.parse(json);
    const t3 = performance.now();
    diagnostics = parsed.errors.length + found;
    if (i >= 3) { parseMs.push(t1 - t0); analysisMs.push(t2 - t1); totalMs.push(t2 - t0); jsonMs.push(t3 - t2); }
  }
  const warm = median(totalMs);
  const p = median(parseMs);
  rows.push({
    lines: text.split('\n').length - 1, bytes: text.length, tokens, diagnostics,
    coldTotalMs: +cold.total.toFixed(1), coldPeakRssMB: +(cold.rss / 1048576).toFixed(0),
    warmParseMs: +p.toFixed(1), warmAnalysisMs: +median(analysisMs).toFixed(1), warmTotalMs: +warm.toFixed(1),
    linesPerSecond: Math.round(lines / (warm / 1000)),
    jsonParseMs: +median(jsonMs).toFixed(2), ratioToJsonParse: +(warm / median(jsonMs)).toFixed(2),
  });
}

// `sptls check` as a whole process (what CI and a pre-commit hook pay), of 1,000 and 50,000 lines.
const bin = new URL('../bin/sptls.cjs', import.meta.url).pathname;
function checkWall(lines: number): number {
  const wall: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, [bin, 'check', join(dir, `topology-${lines}.sptls`)], { encoding: 'utf8' });
    wall.push(performance.now() - t0);
  }
  return median(wall);
}
const wall1000 = checkWall(1_000);
const wall50000 = checkWall(50_000);

console.log('\nLanguage core (parse + analysis; warm = median of ≥10 runs in one process, cold = fresh process incl. module load; target: 50,000 lines ≤ 250 ms warm)');
console.log('| lines | tokens | cold total ms | cold peak RSS MB | warm parse ms | warm analysis ms | warm total ms | lines/s | JSON.parse ms | ratio |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.lines} | ${r.tokens} | ${r.coldTotalMs} | ${r.coldPeakRssMB} | ${r.warmParseMs} | ${r.warmAnalysisMs} | ${r.warmTotalMs} | ${r.linesPerSecond} | ${r.jsonParseMs} | ${r.ratioToJsonParse}× |`);
console.log(`\n\`sptls check\` of 1,000 lines as a whole process: median ${wall1000.toFixed(0)} ms wall (7 runs)`);
console.log(`\`sptls check\` of 50,000 lines as a whole process: median ${wall50000.toFixed(0)} ms wall (7 runs; target ≤ 250 ms on Node 24, node ${process.version})`);
console.log(JSON.stringify({ core: rows, checkWallMs1000: +wall1000.toFixed(1), checkWallMs50000: +wall50000.toFixed(1) }));
