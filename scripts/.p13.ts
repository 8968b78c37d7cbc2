import { parse } from '../grammar/src/index.ts';
import { tokenize } from '../grammar/src/tokens.ts';
import { analyze } from '../server/src/analysis/engine.ts';
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
const text = generateTopology(2000);
const noFiles = { read: () => ({ ok: false as const, reason: '' }) };
const med = (x: number[]) => x.sort((a, b) => a - b)[Math.floor(x.length / 2)]!.toFixed(2);
const r: Record<string, number[]> = { lex: [], parse: [], analyze: [] };
for (let i = 0; i < 200; i++) {
  let t = performance.now(); tokenize(text); r.lex!.push(performance.now() - t);
  t = performance.now(); parse(text); r.parse!.push(performance.now() - t);
  t = performance.now(); analyze(text, { certificateFiles: noFiles }); r.analyze!.push(performance.now() - t);
}
console.log(Object.entries(r).map(([k, v]) => `${k} ${med(v)}`).join('  '), text.length);
