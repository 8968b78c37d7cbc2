// The layering of docs/ARCHITECTURE.md, checked on the source (test/architecture/layers.ts
// holds the map). The checker is first seen to fail: small trees that break one rule each
// must be caught, and a tree that keeps them all must pass. Then the repository.
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { POLICY } from '../server/src/analysis/policy.ts';
import { checkArchitecture, importsOf } from './architecture/layers.ts';

const root = join(import.meta.dirname, '..');

/** A tree that keeps every rule: the bottom, an engine, the server, the client. */
const GOOD: Record<string, string> = {
  'protocol/index.ts': 'export const COMMAND = "sptls.x";\nexport interface Result { ok: boolean }\n',
  'grammar/src/index.ts': 'export function parse(text: string) { return text.length; }\n',
  'server/src/codec/x509/read.ts': 'export const readCertificate = (b: Uint8Array) => b.length;\n',
  'server/src/analysis/engine.ts': "import { parse } from '../../../grammar/src/index.ts';\nimport { readCertificate } from '../codec/x509/read.ts';\n// Date.now() is not read here: now is an input.\nexport function analyze(text: string, now: Date) { return parse(text) + now.getTime() + readCertificate(new Uint8Array()); }\n",
  'server/src/workspace/topology.ts': "import { readFileSync } from 'node:fs';\nimport { analyze } from '../analysis/engine.ts';\nexport const analyzeFile = (p: string) => analyze(readFileSync(p, 'utf8'), new Date());\n",
  'server/src/simulate/run.ts': "import { probe } from '../handshake/probe.ts';\nexport const simulate = () => probe();\n",
  'server/src/handshake/probe.ts': "import { connect } from 'node:tls';\nexport const probe = () => connect;\n",
  'server/src/lsp/server.ts': "import { createConnection } from 'vscode-languageserver/node';\nimport { COMMAND } from '../../../protocol/index.ts';\nimport { analyzeFile } from '../workspace/topology.ts';\nimport { simulate } from '../simulate/run.ts';\nexport const start = () => [createConnection, COMMAND, analyzeFile, simulate];\n",
  'server/src/lsp/commands/index.ts': "export const load = () => import('./run.ts');\n",
  'server/src/lsp/commands/run.ts': 'export const run = 1;\n',
  'server/src/cli/main.ts': "import { start } from '../lsp/server.ts';\nexport const main = () => start();\n",
  'client/src/extension.ts': "import * as vscode from 'vscode';\nimport { LanguageClient } from 'vscode-languageclient/node';\nimport { COMMAND, type Result } from '../../protocol/index.ts';\nexport const x: [unknown, unknown, string, Result?] = [vscode, LanguageClient, COMMAND];\n",
};

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sptls-arch-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function problemsWith(changes: Record<string, string>): string[] {
  const dir = tree({ ...GOOD, ...changes });
  try {
    return checkArchitecture(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the checker passes a tree that keeps the map', () => {
  assert.deepEqual(problemsWith({}), []);
});

// [what breaks, the file that breaks it, what the checker must say]
const BAD: Array<[string, Record<string, string>, RegExp[]]> = [
  ['the client imports server internals', { 'client/src/diagram.ts': "import { analyze } from '../../server/src/analysis/engine.ts';\nexport const a = analyze;\n" },
    [/^client\/src\/diagram\.ts imports \.\.\/\.\.\/server\/src\/analysis\/engine\.ts: client\/src may not depend on server\/src\/analysis$/]],
  ['the client imports a type of the server', { 'client/src/types.ts': "import type { start } from '../../server/src/lsp/server.ts';\nexport type S = typeof start;\n" },
    [/client\/src may not depend on server\/src\/lsp/]],
  ['the client bundles the server protocol library', { 'client/src/bad.ts': "import { createConnection } from 'vscode-languageserver/node';\nexport const c = createConnection;\n" },
    [/client\/src\/bad\.ts imports vscode-languageserver\/node: the client imports only vscode/]],
  ['a dynamic import() in analysis', { 'server/src/analysis/lazy.ts': "export const rules = () => import('./engine.ts');\n" },
    [/^server\/src\/analysis\/lazy\.ts imports \.\/engine\.ts dynamically/]],
  ['a computed require() in grammar', { 'grammar/src/load.ts': "const name = 'fs';\nexport const m = require(name);\n" },
    [/grammar\/src\/load\.ts imports <computed name> dynamically/]],
  ['Date.now() in analysis', { 'server/src/analysis/expiry.ts': 'export const left = (t: number) => t - Date.now();\n' },
    [/^server\/src\/analysis\/expiry\.ts: reads the clock/]],
  ['new Date() in analysis', { 'server/src/analysis/expiry.ts': 'export const today = () => new Date ();\n' },
    [/^server\/src\/analysis\/expiry\.ts: reads the clock/]],
  ['new Date() in grammar', { 'grammar/src/stamp.ts': 'export const stamp = () => new Date().toISOString();\n' },
    [/^grammar\/src\/stamp\.ts: reads the clock/]],
  ['analysis re-exports LSP code', { 'server/src/analysis/lsp.ts': "export { start } from '../lsp/server.ts';\n" },
    [/server\/src\/analysis may not depend on server\/src\/lsp \(and re-exporting it is still depending on it\)/, /folder cycle: .*server\/src\/analysis/]],
  ['analysis re-exports the LSP library', { 'server/src/analysis/types.ts': "export * from 'vscode-languageserver';\n" },
    [/server\/src\/analysis\/types\.ts imports vscode-languageserver: server\/src\/analysis is pure/]],
  ['analysis reads files', { 'server/src/analysis/files.ts': "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n" },
    [/server\/src\/analysis\/files\.ts imports node:fs: server\/src\/analysis is pure/]],
  ['a folder cycle (handshake ⇄ simulate)', { 'server/src/handshake/pki.ts': "import { simulate } from '../simulate/run.ts';\nexport const p = simulate;\n" },
    [/server\/src\/handshake may not depend on server\/src\/simulate/, /^folder cycle: server\/src\/simulate -> server\/src\/handshake -> server\/src\/simulate$/]],
  ['an upward import (analysis -> workspace)', { 'server/src/analysis/disk.ts': "import { analyzeFile } from '../workspace/topology.ts';\nexport const d = analyzeFile;\n" },
    [/server\/src\/analysis may not depend on server\/src\/workspace/, /^folder cycle: server\/src\/analysis -> server\/src\/workspace -> server\/src\/analysis$/]],
  ['a folder the map does not know', { 'server/src/misc/util.ts': 'export const u = 1;\n' },
    [/^server\/src\/misc\/util\.ts: its folder is not in the layer map/]],
  ['protocol imports anything of the server', { 'protocol/extra.ts': "import type { analyze } from '../server/src/analysis/engine.ts';\nexport type A = typeof analyze;\n" },
    [/protocol may not depend on server\/src\/analysis/]],
];

for (const [what, changes, expected] of BAD) {
  test(`the checker catches: ${what}`, () => {
    const problems = problemsWith(changes);
    for (const re of expected) assert.ok(problems.some((p) => re.test(p)), `expected ${re} among:\n${problems.join('\n') || '(no problem found)'}`);
    assert.equal(problems.length, expected.length, problems.join('\n'));
  });
}

test('importsOf reads static, type-only, re-export, side-effect and dynamic imports, not comments', () => {
  const refs = importsOf([
    "import a from './a.ts';",
    "import type { B } from './b.ts';",
    "export { c } from './c.ts';",
    "import './d.ts';",
    "const e = await import('./e.ts');",
    "// import f from './f.ts';",
    "/* import('./g.ts') */",
  ].join('\n'));
  assert.deepEqual(refs.map((r) => `${r.specifier}${r.dynamic ? ' dynamic' : ''}${r.reexport ? ' reexport' : ''}`), ['./a.ts', './b.ts', './c.ts reexport', './d.ts', './e.ts dynamic']);
});

// Dead code: knip (knip.json names the entry points: the CLI, the server, the extension,
// scripts and tests) must find no unused file and no unused export.
const knip = join(root, 'node_modules', '.bin', 'knip');

function runKnip(dir: string): { status: number | null; out: string } {
  const r = spawnSync(knip, ['--no-progress', '--include', 'exports,files'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, out: r.error ? `knip did not run: ${r.error.message}` : `${r.stdout}${r.stderr}` };
}

test('knip finds an export nobody imports (a probe project)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sptls-knip-'));
  try {
    writeFileSync(join(dir, 'package.json'), '{"name":"probe","type":"module","private":true}');
    writeFileSync(join(dir, 'knip.json'), '{"entry":["main.ts"],"project":["**/*.ts"]}');
    writeFileSync(join(dir, 'main.ts'), "import { used } from './lib.ts';\nconsole.log(used);\n");
    writeFileSync(join(dir, 'lib.ts'), 'export const used = 1;\nexport const forgotten = 2;\n');
    const r = runKnip(dir);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /forgotten\s+lib\.ts:2/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no dead code: knip finds no unused file or export in the project', () => {
  const r = runKnip(root);
  assert.equal(r.status, 0, r.out);
});

test('the repository keeps the layer map', () => {
  assert.deepEqual(checkArchitecture(root), []);
});

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('the language server adds no rule logic: no lsp module reports a rule id itself', () => {
  const offenders = sources(join(root, 'server/src/lsp')).filter((f) => /report\(\s*'[a-z-]+'/.test(readFileSync(f, 'utf8'))).map((f) => relative(root, f));
  assert.deepEqual(offenders, []);
});

test('one policy table: package.json\'s setting defaults are the table\'s, and no file restates its numbers', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default: unknown }> } } };
  assert.equal(pkg.contributes.configuration.properties['sptls.expiryWarningDays']!.default, POLICY.expiryWarningDays);
  // The names the table replaced: a second definition of any of them is a second table.
  const restated = sources(join(root, 'server/src')).filter((f) => !f.endsWith('policy.ts'))
    .filter((f) => /\b(?:const|let)\s+(?:MIN_RSA_BITS|MIN_EC_BITS|EXPIRY_WARN_DAYS|DEFAULT_PORTS|DEFAULT_SERVER_PORT|DEFAULT_SERVER_TCPPORT)\s*=(?!\s*(?:POLICY|String\(POLICY))/.test(readFileSync(f, 'utf8')))
    .map((f) => relative(root, f));
  assert.deepEqual(restated, []);
});

test('one spelling per concept: analyze and summarize, never analyse or summarise', () => {
  const offenders = ['protocol', 'grammar/src', 'server/src', 'client/src', 'test', 'scripts'].flatMap((d) => sources(join(root, d)))
    .filter((f) => !f.endsWith('architecture.test.ts') && /\b(?:[Aa]nalys(?:e|ed|ing)|[Ss]ummaris(?:e|ed|es|ing)|reanalyse)\b/.test(readFileSync(f, 'utf8')))
    .map((f) => relative(root, f));
  assert.deepEqual(offenders, []);
});
