// Issuing N RSA-2048 leaf certificates signed by one CA: sptls's builder (native async keygen on
// all cores + forge TBS + Node signature) against spawning openssl per certificate, in one run.
// Usage: node_modules/.bin/node scripts/bench-issue.mjs [N=200]
// openssl side per certificate: `req -new -newkey rsa:2048` (keygen + CSR) then `x509 -req -CA`.
// It runs once as the plain loop, and once with one loop per CPU so both sides get all cores.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildCertificate } from '../server/src/codec/x509/build.ts';
import { generateKey } from '../server/src/codec/x509/keys.ts';
import { certificatePem } from '../server/src/codec/x509/pem.ts';
import { privateKeyPem } from '../server/src/codec/x509/private-key-file.ts';

const run = promisify(execFile);
const n = Number(process.argv[2] ?? 200);
const cpus = availableParallelism();
const dir = mkdtempSync(join(tmpdir(), 'sptls-bench-'));
const DAY = 86_400_000;

const ca = await generateKey({ kind: 'rsa', bits: 2048 });
const notBefore = new Date();
const notAfter = new Date(Date.now() + 365 * DAY);
const caDer = buildCertificate({ subject: 'CN=Bench CA,O=sptls,C=US', publicKey: ca.publicKey, issuer: { selfSigned: ca.privateKey }, notBefore, notAfter, isCA: true });
const caCert = join(dir, 'ca.pem');
const caKey = join(dir, 'ca.key');
writeFileSync(caCert, certificatePem(caDer));
writeFileSync(caKey, privateKeyPem(ca.privateKey));
const ext = join(dir, 'leaf.ext');
writeFileSync(ext, 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:$ENV::HOST\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n');

async function sptls() {
  const t0 = performance.now();
  const keys = await Promise.all(Array.from({ length: n }, () => generateKey({ kind: 'rsa', bits: 2048 })));
  const tKeys = performance.now() - t0;
  for (const [i, k] of keys.entries()) {
    const der = buildCertificate({
      subject: `CN=host${i}.example.test,O=sptls,C=US`, publicKey: k.publicKey, issuer: { certificate: caDer, privateKey: ca.privateKey },
      notBefore, notAfter, isCA: false, sans: [{ type: 'dns', value: `host${i}.example.test` }],
    });
    privateKeyPem(k.privateKey);
    certificatePem(der);
  }
  return { total: performance.now() - t0, keygen: tKeys };
}

async function opensslOne(i) {
  const key = join(dir, `l${i}.key`);
  const csr = join(dir, `l${i}.csr`);
  const host = `host${i}.example.test`;
  await run('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-subj', `/C=US/O=sptls/CN=${host}`, '-out', csr]);
  await run('openssl', ['x509', '-req', '-in', csr, '-CA', caCert, '-CAkey', caKey, '-set_serial', String(1000 + i), '-days', '365', '-sha256', '-extfile', ext, '-out', join(dir, `l${i}.pem`)], { env: { ...process.env, HOST: host } });
}

async function openssl(lanes) {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: lanes }, async () => { while (next < n) await opensslOne(next++); }));
  return performance.now() - t0;
}

const fmt = (ms) => `${(ms / 1000).toFixed(2)} s total, ${(ms / n).toFixed(1)} ms/cert`;
try {
  console.log(`Issuing ${n} RSA-2048 leaf certificates (keygen included) signed by one RSA-2048 CA; ${cpus} CPUs, Node ${process.version}, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? 4}`);
  const ours = await sptls();
  console.log(`sptls builder (async keygen on all cores): ${fmt(ours.total)} (keygen ${(ours.keygen / 1000).toFixed(2)} s)`);
  const loop = await openssl(1);
  console.log(`openssl loop (req -newkey + x509 -req):      ${fmt(loop)}`);
  const parallel = await openssl(cpus);
  console.log(`openssl, ${cpus} loops in parallel:            ${fmt(parallel)}`);
  console.log(`ratio openssl loop / sptls:     ${(loop / ours.total).toFixed(2)}× (target ≥ 2×)`);
  console.log(`ratio openssl parallel / sptls: ${(parallel / ours.total).toFixed(2)}×`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
