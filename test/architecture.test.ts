// The layering invariants of docs/ARCHITECTURE.md, checked on the source: the parser
// and the analysis import no editor, protocol, file-system, process or network module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const FORBIDDEN = /^(?:node:)?(?:fs|fs\/promises|child_process|net\b(?!:)|tls|http|https|dns|worker_threads)$|^vscode(?:-languageserver|-languageclient|-jsonrpc)?(?:\/|$)/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*import\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? m[2]!);
}

// pki/x509 and pki/asn1 are pure codecs (bytes in, facts out) that analysis reads certificates with.
for (const layer of ['grammar/src', 'server/src/analysis', 'server/src/pki/x509', 'server/src/pki/asn1']) {
  test(`${layer} is pure: no editor, protocol, file-system, process or network imports`, () => {
    const offenders = sources(join(root, layer)).flatMap((f) =>
      imports(f).filter((m) => FORBIDDEN.test(m)).map((m) => `${relative(root, f)} imports ${m}`));
    assert.deepEqual(offenders, []);
  });
}

test('analysis depends on nothing above it (cli, lsp, handshake, workspace, pki beyond its codecs)', () => {
  const offenders = sources(join(root, 'server/src/analysis')).flatMap((f) =>
    imports(f).filter((m) => /\/(cli|lsp|handshake|workspace|simulate|diagram)\//.test(m) || (/\/pki\//.test(m) && !/\/pki\/(x509|asn1)\//.test(m))).map((m) => `${relative(root, f)} imports ${m}`));
  assert.deepEqual(offenders, []);
});

test('the language server adds no rule logic: no lsp module reports a rule id itself', () => {
  const offenders = sources(join(root, 'server/src/lsp')).filter((f) => /report\(\s*'[a-z-]+'/.test(readFileSync(f, 'utf8'))).map((f) => relative(root, f));
  assert.deepEqual(offenders, []);
});
