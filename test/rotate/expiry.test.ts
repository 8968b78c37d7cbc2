// `sptls expiry`: the issued PKI, `file` certificates and collected key databases, soonest
// first, with who presents and who trusts each; the iCalendar form read back by Python's
// icalendar (RFC 5545: CRLF, folding at 75 octets, TEXT escaping, UID, DTSTAMP).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { foldLine, icsText } from '../../server/src/rotate/ics.ts';
import { ensurePythonModule } from '../support/system.ts';
import { production, root } from './support.ts';

const cli = join(root, 'bin', 'sptls.cjs');
let dir: string;
/** 31 days after the PKI was issued (sptls issue dates from the clock). */
let later: string;
// A file name with the characters iCalendar must escape, and a two-octet one that folding must not split.
const NAME = 'prod;uction,é\\x.sptls';

function run(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'sptls-expiry-'));
  // EC keys for speed; one CA with a short life so the order is not the file order.
  const text = production.replace(/key rsa \d+/g, 'key ec p256')
    .replace('subject "CN=Example Corp Issuing CA 1,O=Example Corp,C=US"', 'subject "CN=Example Corp Issuing CA 1,O=Example Corp,C=US"\n  valid 400 days')
    .replace('  valid 10 years\n}\n\n# --- Data', '}\n\n# --- Data');
  writeFileSync(join(dir, NAME), text);
  assert.equal(run(['issue', NAME]).status, 0);
  const manifest = JSON.parse(readFileSync(join(dir, 'pki', 'manifest.json'), 'utf8'));
  later = new Date(Date.parse(manifest.entries.CorpIssuing.notBefore) + 31 * 86_400_000).toISOString();
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('sptls expiry', () => {
  it('lists the issued CAs and certificates soonest first, with presenters, trusters and the rotate command', () => {
    const r = run(['expiry', NAME, '--format', 'json', '--now', later]);
    assert.equal(r.status, 0, r.err);
    const j = JSON.parse(r.out);
    const names = j.certificates.map((c: { name: string }) => c.name);
    assert.equal(names[0], 'CorpIssuing');
    assert.equal(names.at(-1), 'CorpRoot');
    const issuing = j.certificates[0];
    // The certificates under the issuing CA are capped at its end (lifetimes nest), and listed after it.
    assert.equal(issuing.daysLeft, 400 - 31);
    assert.deepEqual(issuing.presentedBy, ['SPHUB', 'SPA1', 'LIBMGR', 'STA1', 'STA2', 'SPB1', 'CORPDIR']);
    assert.deepEqual(issuing.trustedBy, []);
    const rootCa = j.certificates.at(-1);
    assert.equal(rootCa.trustedBy.length, 14);
    assert.equal(rootCa.rotate, `sptls rotate '${NAME.replace(/'/g, "'\\''")}' --ca CorpRoot`);
    assert.equal(j.certificates.find((c: { name: string }) => c.name === 'SPA1').rotate.endsWith('--certificate SPA1'), true);
    assert.equal(j.certificates.length, 9);
  });

  it('--within keeps what ends in time; --keydbs adds the collected key databases', () => {
    const within = JSON.parse(run(['expiry', NAME, '--format', 'json', '--now', later, '--within', '400']).out);
    assert.ok(within.certificates.length >= 1);
    assert.ok(within.certificates.every((c: { daysLeft: number }) => c.daysLeft <= 400));
    assert.ok(!within.certificates.some((c: { name: string }) => c.name === 'CorpRoot'));
    assert.equal(run(['keydb', NAME, '--native-kdb']).status, 0);
    const withDbs = JSON.parse(run(['expiry', NAME, '--format', 'json', '--now', later, '--keydbs', 'pki/keydb']).out);
    const fromDb = withDbs.certificates.filter((c: { source: string }) => c.source === 'keydb');
    const rootInDbs = fromDb.find((c: { name: string }) => c.name === 'CorpRoot');
    assert.match(rootInDbs.where, /the collected key databases of SPHUB, SPA1, .*ADMIN$/);
    assert.ok(fromDb.some((c: { name: string; where: string }) => c.name === 'SPA1' && c.where === 'the collected key database of SPA1'));
  });

  it('file certificates are listed with their own dates', () => {
    mkdirSync(join(dir, 'files'));
    writeFileSync(join(dir, 'files', 'weak.pem'), readFileSync(join(root, 'examples', 'certs', 'weak-1024.pem')));
    writeFileSync(join(dir, 'files', 't.sptls'), 'server S { address "s" certificate file "weak.pem" }\nclient C { trusts S }\nC -> S\n');
    const j = JSON.parse(spawnSync(process.execPath, [cli, 'expiry', 't.sptls', '--format', 'json', '--now', '2026-12-01'], { cwd: join(dir, 'files'), encoding: 'utf8' }).stdout);
    const got = spawnSync('openssl', ['x509', '-enddate', '-noout', '-in', join(dir, 'files', 'weak.pem')], { encoding: 'utf8' }).stdout.trim().replace('notAfter=', '');
    assert.equal(j.certificates.length, 1);
    assert.equal(new Date(j.certificates[0].notAfter).getTime(), new Date(got).getTime());
    assert.deepEqual([j.certificates[0].source, j.certificates[0].where, j.certificates[0].trustedBy], ['file', 'weak.pem', ['C']]);
  });

  it('--format ics: CRLF, 75-octet folding, escaping, UID and DTSTAMP, read back by Python icalendar', () => {
    const python = ensurePythonModule('icalendar', 'python3-icalendar');
    const r = run(['expiry', NAME, '--format', 'ics', '--now', later]);
    assert.equal(r.status, 0, r.err);
    const raw = Buffer.from(r.out, 'utf8');
    assert.ok(r.out.endsWith('\r\n'));
    assert.ok(!/[^\r]\n/.test(r.out), 'every line ends in CRLF');
    for (const line of r.out.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, line);
    const py = `
import sys, json, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
out = []
for ev in cal.walk('VEVENT'):
    out.append({'uid': str(ev['UID']), 'stamp': ev['DTSTAMP'].dt.isoformat(), 'start': ev['DTSTART'].dt.isoformat(),
                'summary': str(ev['SUMMARY']), 'description': str(ev['DESCRIPTION']),
                'alarm': [str(a['TRIGGER'].dt) for a in ev.walk('VALARM')]})
print(json.dumps(out))`;
    const p = spawnSync(python, ['-c', py], { input: raw, encoding: 'utf8' });
    assert.equal(p.status, 0, p.stderr);
    const events = JSON.parse(p.stdout) as Array<{ uid: string; stamp: string; start: string; summary: string; description: string; alarm: string[] }>;
    assert.equal(events.length, 9);
    assert.equal(new Set(events.map((e) => e.uid)).size, 9);
    assert.ok(events.every((e) => e.stamp === later.replace(/\.\d{3}Z$/, '+00:00')), events[0]!.stamp);
    const issuing = events.find((e) => e.summary === 'Rotate CA CorpIssuing: it expires')!;
    assert.match(issuing.description, /^CA CorpIssuing \(CN=Example Corp Issuing CA 1,O=Example Corp,C=US\) ends /);
    assert.ok(issuing.description.includes(`\nPlan the rotation: sptls rotate '${NAME}' --ca CorpIssuing`), issuing.description);
    assert.deepEqual(issuing.alarm, ['-30 days, 0:00:00']);
  });

  it('folds and escapes by the octet and the rule', () => {
    assert.equal(icsText('a,b;c\\d\ne'), 'a\\,b\\;c\\\\d\\ne');
    const folded = foldLine(`DESCRIPTION:${'é'.repeat(60)}`);
    for (const l of folded.split('\r\n')) assert.ok(Buffer.byteLength(l) <= 75);
    assert.equal(folded.split('\r\n').map((l, i) => (i === 0 ? l : l.slice(1))).join(''), `DESCRIPTION:${'é'.repeat(60)}`);
  });
});
