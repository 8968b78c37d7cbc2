// `sptls simulate --java`: the connections of Java initiators are also made from a real
// JSSE client (compiled at run time) with a PKCS#12 truststore written by the PKI module.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../server/src/cli/cli.ts';
import { nodeHandshakeProber } from '../../server/src/handshake/index.ts';
import { analyzeTopology } from '../../server/src/workspace/topology.ts';
import { simulate, temporaryPki, type ResultRow } from '../../server/src/simulate/index.ts';
import { jsseClient, parseJavaOutput, type JavaClient } from '../../server/src/simulate/java/jsse-client.ts';
import { observeJava } from '../../server/src/simulate/run.ts';
import type { Rehearsal } from '../../server/src/simulate/plan.ts';
import { ensureCommand } from '../support/system.ts';

const root = resolve(import.meta.dirname, '..', '..');
const production = readFileSync(join(root, 'examples', 'production.sptls'), 'utf8');
let dir: string;
let java: JavaClient;

/** production.sptls with OC's `trusts` replaced. */
function withOcTrusting(entry: string): string {
  const text = production.replace(/(operations-center OC \{[^}]*?)trusts CorpRoot/, `$1trusts ${entry}`);
  assert.notEqual(text, production, 'the OC declaration was rewritten');
  return `${text}\nca Elsewhere { subject "CN=Elsewhere Root" }\n`;
}

async function rows(text: string): Promise<ResultRow[]> {
  const path = join(dir, 'topo.sptls');
  writeFileSync(path, text);
  const analysis = analyzeTopology(path, text);
  const pki = await temporaryPki(analysis, { now: new Date(), topologyName: 'topo.sptls' });
  try {
    return await simulate(analysis, pki, { prober: nodeHandshakeProber, java, timeoutMs: 5000 });
  } finally {
    await pki.dispose();
  }
}

const row = (all: ResultRow[], connection: string, client: 'node' | 'java') => {
  const r = all.find((x) => x.connection === connection && x.client === client);
  assert.ok(r, `${connection} has a ${client} row`);
  return r;
};

before(() => {
  ensureCommand('javac', 'default-jdk-headless');
  dir = mkdtempSync(join(tmpdir(), 'sptls-simjava-'));
  java = jsseClient({ XDG_CACHE_HOME: join(dir, 'cache') }); // a fresh cache: the client is compiled here
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('simulate --java with a real JSSE client', () => {
  it('production.sptls: OC -> SPHUB and the reporting agent are trusted from Java too, agreeing with the rules', async () => {
    const all = await rows(production);
    const javaRows = all.filter((r) => r.client === 'java');
    assert.deepEqual(javaRows.map((r) => r.connection).sort(), ['OC -> SPHUB', 'REPORTS -> SPA1', 'REPORTS -> SPHUB']);
    for (const r of javaRows) {
      assert.equal(r.observed?.verdict, 'trusted', r.observed?.reason);
      assert.equal(r.agree, true, r.disagreement);
      assert.equal(r.observed?.version, 'TLSv1.3');
      assert.match(r.note ?? '', /rehearsed with Java [\d.]+ \(JSSE\) and a PKCS#12 truststore of CorpRoot/);
    }
    assert.equal(all.filter((r) => r.client === 'node').length, analyzeTopology('x', production).model.links.length);
  });

  it('a truststore without the root (OC trusts another CA) is untrusted from Java, as the rules say', async () => {
    const all = await rows(withOcTrusting('Elsewhere'));
    const r = row(all, 'OC -> SPHUB', 'java');
    assert.equal(r.predicted, 'untrusted');
    assert.equal(r.observed?.verdict, 'untrusted');
    assert.match(r.observed!.reason, /PKIX/);
    assert.equal(r.agree, true);
    assert.equal(row(all, 'OC -> SPHUB', 'node').observed?.verdict, 'untrusted');
  });

  it('a truststore holding only the intermediate: JSSE accepts it where the rules (GSKit) do not, and the row says why', async () => {
    const all = await rows(withOcTrusting('CorpIssuing'));
    const r = row(all, 'OC -> SPHUB', 'java');
    assert.equal(r.predicted, 'untrusted');
    assert.equal(r.observed?.verdict, 'trusted');
    assert.match(r.observed!.reason, /JSSE \(PKIX\) accepts the chain, but the chain reaches the trusted intermediate '[^']*Example Corp Issuing CA 1/);
    assert.equal(r.agree, false);
    assert.equal(row(all, 'OC -> SPHUB', 'node').agree, true, 'Node rows judge the root as GSKit does');
  });

  it('the CLI prints a client column and exits 0 when every row agrees', async () => {
    writeFileSync(join(dir, 'p.sptls'), production);
    let out = '';
    const code = await main(['simulate', 'p.sptls', '--java'], { out: (t) => { out += t; }, err: () => {}, cwd: dir, env: { XDG_CACHE_HOME: join(dir, 'cache') } });
    assert.equal(code, 0, out);
    assert.match(out, /^line +connection +client +predicted/m);
    assert.match(out, /OC -> SPHUB +java +trusted +handshake ok, chain trusted +TLSv1\.3 +agree/);
    assert.match(out, /24 rehearsed on 127\.0\.0\.1 and 3 more from Java \(27 agree, 0 disagree\)/);
  });
});

describe('Java client output, judged', () => {
  const r: Rehearsal = {
    initiator: 'OC', responder: 'SP', initiatorRange: { min: '1.2', max: '1.3' }, responderRange: { min: '1.3', max: '1.3' }, trust: [], expectedVersion: '1.3', java: true,
  };
  const cases: Array<{ name: string; stdout: string; verdict: string; version?: string; reason: RegExp }> = [
    { name: 'trusted', stdout: 'java 21\nprotocol TLSv1.3\ncipher TLS_AES_128_GCM_SHA256\npeer 0A0B\ntrust ok\n', verdict: 'trusted', version: 'TLSv1.3', reason: /accepts the chain/ },
    { name: 'PKIX refuses', stdout: 'java 21\nprotocol TLSv1.2\ncipher X\ntrust fail PKIX path building failed\n', verdict: 'untrusted', version: 'TLSv1.2', reason: /PKIX path building failed/ },
    { name: 'server refuses the version', stdout: 'java 21\nerror javax.net.ssl.SSLHandshakeException Received fatal alert: protocol_version\n', verdict: 'no-common-version', reason: /protocol_version \(OC offers TLS 1\.2–1\.3, SP accepts 1\.3–1\.3\)/ },
    { name: 'client has no enabled version', stdout: 'error javax.net.ssl.SSLHandshakeException No appropriate protocol (protocol is disabled or cipher suites are inappropriate)\n', verdict: 'no-common-version', reason: /No appropriate protocol/ },
    { name: 'connection refused', stdout: 'java 21\nerror java.net.ConnectException Connection refused\n', verdict: 'failed', reason: /Connection refused/ },
    { name: 'nothing printed (JVM crashed)', stdout: '', verdict: 'failed', reason: /printed no result/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const o = observeJava(parseJavaOutput(c.stdout), r, [], []);
      assert.equal(o.verdict, c.verdict);
      assert.equal(o.version, c.version);
      assert.match(o.reason, c.reason);
    });
  }
});
