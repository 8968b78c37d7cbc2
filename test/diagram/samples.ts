// Topologies the diagram tests draw: the project's examples, the shared conformance
// cases and the spec's first example, each analyzed with its real certificate files.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { analyze, type Analysis } from '../../server/src/analysis/engine.ts';
import { DiskCertificateFiles } from '../../server/src/workspace/disk-certificates.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const conformance = join(root, '..', 'shared', 'conformance');
const spec = join(root, '..', 'shared', 'spec', 'language.md');
export const NOW = new Date('2026-01-31T00:00:00Z');

export interface Sample {
  name: string;
  text: string;
  dir: string;
}

export function samples(): Sample[] {
  const out: Sample[] = [];
  const addDir = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.sptls')).sort()) out.push({ name: f, text: readFileSync(join(dir, f), 'utf8'), dir });
  };
  addDir(join(root, 'examples'));
  addDir(conformance);
  const first = /```sptls\n([\s\S]*?)```/.exec(readFileSync(spec, 'utf8'));
  if (first) out.push({ name: 'spec §1', text: first[1]!, dir: dirname(spec) });
  if (out.length < 3) throw new Error('diagram tests found too few topologies to draw');
  return out;
}

export function analyzeSample(s: { text: string; dir: string }): Analysis {
  return analyze(s.text, { certificateFiles: new DiskCertificateFiles(s.dir), now: NOW });
}

/** Parses XML strictly: any error or warning fails the test. */
export function parseXml(text: string): Document {
  return new DOMParser({ onError: (level, message) => { throw new Error(`XML ${level}: ${message}`); } }).parseFromString(text, 'image/svg+xml');
}

/** Elements of `doc` whose class list holds `cls`. */
export function withClass(doc: Document | Element, tag: string, cls: string): Element[] {
  return Array.from(doc.getElementsByTagName(tag)).filter((e) => (e.getAttribute('class') ?? '').split(/\s+/).includes(cls));
}

/** A generated topology: `groups` lists, per client group, how many clients and what they trust. */
export function clientPopulation(groups: Array<{ count: number; trusts: string; prefix: string }>): string {
  const lines = [
    'ca Root { subject "CN=Root" }',
    'server SP1 { address "sp1.example.com" certificate signed-by Root trusts Root hub }',
    'storage-agent STA1 { address "sta1.example.com" certificate signed-by Root trusts Root }',
    'STA1 -> SP1',
  ];
  for (const g of groups) {
    for (let i = 1; i <= g.count; i++) {
      const name = `${g.prefix}${String(i).padStart(3, '0')}`;
      lines.push(`client ${name} { ${g.trusts ? `trusts ${g.trusts}` : ''} }`, `${name} -> SP1`);
    }
  }
  return `${lines.join('\n')}\n`;
}
