// The diagram model against the analysis of every sample topology: every component
// is drawn, every connection has the verdict its diagnostics call for, chains follow
// signed-by, and similar clients collapse (and expand) as documented.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Analysis } from '../../server/src/analysis/engine.ts';
import type { Link } from '../../server/src/analysis/model.ts';
import { trustVerdict } from '../../server/src/analysis/trust.ts';
import { buildDiagram } from '../../server/src/diagram/index.ts';
import { analyzeSample, clientPopulation, NOW, samples } from './samples.ts';
import { analyze } from '../../server/src/analysis/engine.ts';
import { DiskCertificateFiles } from '../../server/src/workspace/disk-certificates.ts';
import { join } from 'node:path';

const FORBIDDEN_RULES = ['self-connection', 'connection-not-supported', 'tls-to-db2', 'ldap-requires-tls'];
const UNTRUSTED_RULES = ['untrusted-responder', 'no-common-tls-version', 'ssl-port-required'];
/** Findings on a certificate that fail every session to the component presenting it (or to those below a CA). */
const CERTIFICATE_FAILURES = ['certificate-expired', 'issuer-mismatch'];

/** The verdict a connection's diagnostics call for (docs/diagram.md), worked out independently of the diagram code. */
function expectedVerdict(a: Analysis, link: Link): string {
  const c = link.connection;
  const codes = a.diagnostics.filter((d) => d.start >= c.start && d.start < c.end).map((d) => d.code);
  if (!link.from || !link.to) return 'unknown';
  if (codes.some((r) => FORBIDDEN_RULES.includes(r))) return 'forbidden';
  if (!link.tls) return 'plain';
  const missing = a.diagnostics.some((d) => d.code === 'missing-certificate' && d.start >= link.to!.decl.start && d.start < link.to!.decl.end);
  if (missing || codes.some((r) => UNTRUSTED_RULES.includes(r))) return 'untrusted';
  const presented = [link.to, ...(a.chains.of(link.to)?.cas ?? [])];
  const failing = a.diagnostics.some((d) => CERTIFICATE_FAILURES.includes(d.code) && presented.some((e) => d.start >= e.decl.start && d.start < e.decl.end));
  if (failing) return 'untrusted';
  return trustVerdict(link.from, link.to, a.chains).kind === 'trusted' ? 'trusted' : 'unknown';
}

for (const sample of samples()) {
  test(`diagram model of ${sample.name}: every component, connection and verdict`, () => {
    const a = analyzeSample(sample);
    const d = buildDiagram(a, { collapseAt: 0 });
    const ids = new Set(d.nodes.map((n) => n.id));
    for (const e of a.model.entities.filter((e) => e.isFirst)) assert.ok(ids.has(e.name), `${e.name} is drawn`);
    const drawn = a.model.links.filter((l) => l.connection.to);
    assert.equal(d.connections.length, drawn.length);
    for (const link of drawn) {
      const edge = d.connections.find((e) => e.start === link.connection.start);
      assert.ok(edge, `connection at ${link.connection.start} is drawn`);
      assert.equal(edge.verdict, expectedVerdict(a, link), `${link.connection.from.text} -> ${link.connection.to!.text}`);
      assert.ok(ids.has(edge.from) && ids.has(edge.to));
      // Each diagnostic anchored inside the connection rides on its edge.
      for (const diag of a.diagnostics.filter((x) => x.start >= link.connection.start && x.start < link.connection.end)) {
        assert.ok(edge.findings.some((f) => f.rule === diag.code && f.message === diag.message), `${diag.code} on ${edge.id}`);
      }
    }
    assert.equal(d.syntaxErrors.length, a.diagnostics.filter((x) => x.code === 'syntax').length);
  });
}

test('chain edges follow signed-by from components and CAs to their issuing CA', () => {
  const a = analyze([
    'ca Root { }', 'ca Mid { signed-by Root }', 'server S { certificate signed-by Mid }',
    'server T { certificate self-signed }', 'client C { trusts Root }', 'C -> S', 'C -> T',
  ].join('\n'), { certificateFiles: { read: () => ({ ok: false, reason: 'none' }) }, now: NOW });
  const d = buildDiagram(a);
  assert.deepEqual(d.chains.map((e) => `${e.from}>${e.to}`).sort(), ['Mid>Root', 'S>Mid']);
  const verdicts = Object.fromEntries(d.connections.map((e) => [e.to, e.verdict]));
  assert.deepEqual(verdicts, { S: 'trusted', T: 'untrusted' });
  assert.ok(d.nodes.find((n) => n.id === 'T')!.classes.includes('self-signed'));
});

test('undeclared connection ends become placeholder nodes with an unknown verdict', () => {
  const a = analyze('server S { certificate self-signed }\nclient C { trusts S }\nC -> NOPE\nGHOST -> S\n', { certificateFiles: { read: () => ({ ok: false, reason: 'none' }) }, now: NOW });
  const d = buildDiagram(a);
  assert.deepEqual(d.nodes.filter((n) => n.kind === 'unknown').map((n) => n.label).sort(), ['GHOST', 'NOPE']);
  assert.deepEqual(d.connections.map((e) => e.verdict), ['unknown', 'unknown']);
});

test('clients with the same targets and trust list collapse into one group from the threshold on', () => {
  const text = clientPopulation([{ count: 12, trusts: 'Root', prefix: 'FS' }, { count: 6, trusts: '', prefix: 'UN' }, { count: 4, trusts: 'Root, SP1', prefix: 'FEW' }]);
  const a = analyze(text, { certificateFiles: { read: () => ({ ok: false, reason: 'none' }) }, now: NOW });
  const d = buildDiagram(a);
  const groups = d.nodes.filter((n) => n.kind === 'group');
  assert.deepEqual(groups.map((g) => g.label), ['12 clients', '6 clients']);
  assert.equal(d.nodes.filter((n) => n.kind === 'client').length, 4, 'the group of 4 stays below the default threshold of 5');
  const fsEdge = d.connections.find((e) => e.from === 'group:FS001')!;
  assert.equal(fsEdge.count, 12);
  assert.equal(fsEdge.verdict, 'trusted');
  const unEdge = d.connections.find((e) => e.from === 'group:UN001')!;
  assert.equal(unEdge.verdict, 'untrusted');
  assert.equal(unEdge.findings.filter((f) => f.rule === 'untrusted-responder').length, 6);
  // Every connection is accounted for, grouped or not.
  assert.equal(d.connections.reduce((n, e) => n + e.count, 0), a.model.links.length);

  const expanded = buildDiagram(a, { expand: ['FS007'] });
  assert.equal(expanded.nodes.filter((n) => n.kind === 'group').length, 1);
  assert.equal(expanded.nodes.filter((n) => n.kind === 'client').length, 16);
  assert.equal(expanded.groups.find((g) => g.id === 'group:FS001')!.collapsed, false);
  assert.equal(buildDiagram(a, { expand: ['group:UN001'] }).nodes.filter((n) => n.kind === 'group').length, 1);
  assert.equal(buildDiagram(a, { collapseAt: 4 }).nodes.filter((n) => n.kind === 'group').length, 3);
  assert.equal(buildDiagram(a, { collapseAt: 0 }).nodes.filter((n) => n.kind === 'group').length, 0);
});

test('a group edge takes the worst verdict of its members', () => {
  const text = `${clientPopulation([{ count: 5, trusts: 'Root', prefix: 'N' }])}client OLD { tls-min 1.0 tls-max 1.1 trusts Root }\nOLD -> SP1\n`;
  const a = analyze(text, { certificateFiles: { read: () => ({ ok: false, reason: 'none' }) }, now: NOW });
  // OLD shares targets and trust list, so it joins the group; its range does not meet SP1's.
  const d = buildDiagram(a);
  const edge = d.connections.find((e) => e.from === 'group:N001')!;
  assert.equal(edge.count, 6);
  assert.equal(edge.verdict, 'untrusted');
  assert.ok(edge.findings.some((f) => f.rule === 'no-common-tls-version'));
});

test('an edge is coloured by the full verdict: an expired or mis-issued responder certificate is not "TLS, trusted"', () => {
  const files = new DiskCertificateFiles(join(import.meta.dirname, '..', 'rules', 'cases'));
  const a = analyze([
    'ca Root { file "certs/root.pem" }',
    'ca Mid { signed-by Other file "certs/issuing.pem" }',
    'ca Other { subject "CN=Other" }',
    'server EXP { address "expiring.example.com" certificate file "certs/expiring.pem" }',
    'server BAD { certificate signed-by Mid }',
    'server OK { address "good.example.com" certificate signed-by Root }',
    'client C { trusts Root, Other }',
    'C -> EXP', 'C -> BAD', 'C -> OK',
  ].join('\n'), { certificateFiles: files, now: new Date('2026-07-01') });
  // The trust lists alone would call both trusted: the certificates are what fail.
  assert.equal(trustVerdict(a.model.byName.get('C')!, a.model.byName.get('EXP')!, a.chains).kind, 'trusted');
  const verdicts = Object.fromEntries(buildDiagram(a).connections.map((e) => [e.to, e.verdict]));
  assert.deepEqual(verdicts, { EXP: 'untrusted', BAD: 'untrusted', OK: 'trusted' });
});
