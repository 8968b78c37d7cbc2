// Data-driven rule tests: each case file marks the diagnostics it must produce with
// `# expect: rule[, rule]` on the line where the range starts (the conformance
// format). Errors and warnings must match exactly, so every near-miss line in a case
// is a test that a rule does NOT fire. Hints are compared exactly when the file says
// `hints: exact`, else only the expected ones must be present.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../server/src/analysis/engine.ts';
import { DiskCertificateFiles } from '../../server/src/workspace/disk-certificates.ts';

const dir = join(import.meta.dirname, 'cases');
const NOW = new Date('2026-06-01T00:00:00Z');

function expectations(text: string) {
  const want = new Set<string>();
  const hints = new Set<string>();
  text.split(/\r?\n/).forEach((line, i) => {
    const m = line.match(/(?:#|\/\/)\s*expect(-hint)?:\s*([a-z0-9, -]+?)\s*$/);
    if (m) for (const rule of m[2]!.split(',').map((s) => s.trim()).filter(Boolean)) (m[1] ? hints : want).add(`${i + 1} ${rule}`);
  });
  return { want, hints, exactHints: /hints: exact/.test(text) };
}

for (const name of readdirSync(dir).filter((f) => f.endsWith('.sptls')).sort()) {
  test(`rule case ${name}`, () => {
    const text = readFileSync(join(dir, name), 'utf8');
    const { want, hints, exactHints } = expectations(text);
    // A first line `# now: YYYY-MM-DD` pins the instant, as the shared conformance runner does.
    const now = /^#\s*now:\s*(\S+)/.exec(text)?.[1];
    const a = analyze(text, { certificateFiles: new DiskCertificateFiles(dir), now: now ? new Date(now) : NOW });
    const key = (d: { start: number; code: string }) => `${a.lines.lineOf(d.start) + 1} ${d.code}`;
    const got = new Set(a.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning').map(key));
    const gotHints = new Set(a.diagnostics.filter((d) => d.severity === 'hint' || d.severity === 'information').map(key));
    const sorted = (s: Set<string>) => [...s].sort((x, y) => parseInt(x) - parseInt(y) || x.localeCompare(y));
    assert.deepEqual(sorted(got), sorted(want), 'errors and warnings');
    if (exactHints) assert.deepEqual(sorted(gotHints), sorted(hints), 'hints');
    else for (const h of hints) assert.ok(gotHints.has(h), `hint ${h} expected, got ${sorted(gotHints).join('; ')}`);
    for (const d of a.diagnostics) {
      assert.ok(d.end >= d.start && d.end <= text.length, `${d.code} range within the text`);
      assert.ok(d.message.length > 20, `${d.code} has a real message`);
      assert.ok(a.lines.lineOf(d.end) === a.lines.lineOf(d.start) || d.code === 'self-connection' || d.code === 'duplicate-connection' || d.code === 'lan-free-needs-server', `${d.code} stays on its line`);
    }
  });
}
