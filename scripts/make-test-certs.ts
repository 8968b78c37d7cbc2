// Regenerates the certificate fixtures of test/rules/cases/certs (committed; run by hand:
// `node scripts/make-test-certs.ts`). Dates are fixed so the rule tests can pin `now`.
import forge from 'node-forge';
import { writeFileSync } from 'node:fs';

const dir = 'test/rules/cases/certs';
const pki = forge.pki;
type Md = forge.md.MessageDigest;

function make(opts: {
  cn: string; o?: string; bits?: number; from: string; to: string; sans?: Array<{ dns?: string; ip?: string }>;
  issuer?: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey }; ca?: boolean; md?: () => Md;
}) {
  const keys = pki.rsa.generateKeyPair(opts.bits ?? 2048);
  const cert = pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = `0${Math.floor(Math.random() * 1e12).toString(16)}`;
  cert.validity.notBefore = new Date(opts.from);
  cert.validity.notAfter = new Date(opts.to);
  const subject = [{ shortName: 'CN', value: opts.cn }, ...(opts.o ? [{ shortName: 'O', value: opts.o }] : [])];
  cert.setSubject(subject);
  cert.setIssuer(opts.issuer ? opts.issuer.cert.subject.attributes : subject);
  const ext: object[] = [{ name: 'basicConstraints', cA: !!opts.ca }];
  if (opts.sans) ext.push({ name: 'subjectAltName', altNames: opts.sans.map((s) => (s.ip ? { type: 7, ip: s.ip } : { type: 2, value: s.dns })) });
  cert.setExtensions(ext);
  cert.sign(opts.issuer?.key ?? keys.privateKey, (opts.md ?? (() => forge.md.sha256.create()))());
  return { cert, key: keys.privateKey };
}

const pem = (c: forge.pki.Certificate) => pki.certificateToPem(c);
const root = make({ cn: 'Test Root CA', o: 'Sptls Tests', from: '2020-01-01', to: '2040-01-01', ca: true });
const inter = make({ cn: 'Test Issuing CA', o: 'Sptls Tests', from: '2020-01-01', to: '2040-01-01', ca: true, issuer: root });
const good = make({ cn: 'good.example.com', from: '2025-01-01', to: '2035-01-01', sans: [{ dns: 'good.example.com' }, { ip: '10.1.1.1' }], issuer: inter });
writeFileSync(`${dir}/root.pem`, pem(root.cert));
writeFileSync(`${dir}/issuing.pem`, pem(inter.cert));
writeFileSync(`${dir}/good.pem`, pem(good.cert));
writeFileSync(`${dir}/good-chain.pem`, pem(good.cert) + pem(inter.cert));
writeFileSync(`${dir}/good.der`, Buffer.from(forge.asn1.toDer(pki.certificateToAsn1(good.cert)).getBytes(), 'binary'));
writeFileSync(`${dir}/expiring.pem`, pem(make({ cn: 'expiring.example.com', from: '2025-06-01', to: '2026-06-20', sans: [{ dns: 'expiring.example.com' }], issuer: root }).cert));
writeFileSync(`${dir}/not-expiring.pem`, pem(make({ cn: 'later.example.com', from: '2025-06-01', to: '2026-07-05', sans: [{ dns: 'later.example.com' }], issuer: root }).cert));
writeFileSync(`${dir}/wildcard.pem`, pem(make({ cn: '*.dc.example.com', from: '2025-01-01', to: '2035-01-01', sans: [{ dns: '*.dc.example.com' }], issuer: root }).cert));
writeFileSync(`${dir}/md5.pem`, pem(make({ cn: 'md5.example.com', from: '2025-01-01', to: '2035-01-01', sans: [{ dns: 'md5.example.com' }], issuer: root, md: () => forge.md.md5.create() }).cert));
writeFileSync(`${dir}/self-2048.pem`, pem(make({ cn: 'self.example.com', from: '2025-01-01', to: '2035-01-01', sans: [{ dns: 'self.example.com' }, { ip: '2001:db8::1' }] }).cert));
writeFileSync(`${dir}/garbage.pem`, '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n');
