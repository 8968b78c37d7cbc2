// A fleet of loopback TLS servers for the scan's scale test and `npm run bench`: N
// node:tls listeners, a topology that places one server on each, its PKI issued with EC
// keys, and every listener presenting its own issued certificate and chain.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runIssue } from '../../server/src/pki/issue/run.ts';
import { rehearsalIssuer } from '../../server/src/simulate/pki.ts';
import { issued, tlsPeer, type TlsPeer } from './peers.ts';

export interface Fleet {
  dir: string;
  topology: string;
  text: string;
  close(): Promise<void>;
}

export async function startFleet(n: number): Promise<Fleet> {
  const dir = mkdtempSync(join(tmpdir(), 'sptls-fleet-'));
  const peers: TlsPeer[] = [];
  const close = async () => {
    for (const p of peers) await p.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < n; i++) peers.push(await tlsPeer());
    const lines = ['ca Root { subject "CN=Fleet Root" key ec p256 }', 'ca Issuing { signed-by Root subject "CN=Fleet Issuing" key ec p256 }', 'client C { trusts Root }'];
    peers.forEach((p, i) => lines.push(`server SP${i + 1} { address "127.0.0.1" port ${p.port} certificate signed-by Issuing { key ec p256 } trusts Root }`, `C -> SP${i + 1}`));
    const text = `${lines.join('\n')}\n`;
    const topology = join(dir, 'fleet.sptls');
    writeFileSync(topology, text);
    const outcome = await runIssue({ topologyPath: topology, text, issuer: rehearsalIssuer });
    if (outcome.kind !== 'done') throw new Error(`issue failed: ${JSON.stringify(outcome)}`);
    peers.forEach((p, i) => p.present(issued(join(dir, 'pki'), `SP${i + 1}`)));
    return { dir, topology, text, close };
  } catch (e) {
    await close();
    throw e;
  }
}
