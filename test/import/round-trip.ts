// Round trip support for tests: the verdict of `check` on every connection of a topology.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Analysis } from '../../server/src/analysis/engine.ts';
import { readKdb } from '../../server/src/pki/keydb/kdb/read.ts';
import { readStash, writeStashV8 } from '../../server/src/pki/keydb/kdb/stash.ts';
import { writeKdb } from '../../server/src/pki/keydb/kdb/write.ts';

/** The codes of the diagnostics anchored on each connection, keyed `from -> to`. */
export function verdicts(a: Analysis, rename: (name: string) => string = (n) => n): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const l of a.model.links) {
    if (!l.from || !l.to) continue;
    const { start, end } = l.connection;
    const codes = a.diagnostics.filter((d) => d.start >= start && d.start < end && d.severity !== 'hint').map((d) => d.code).sort();
    const key = `${rename(l.from.name)} -> ${rename(l.to.name)}`;
    out.set(key, [...(out.get(key) ?? []), ...codes].sort());
  }
  return out;
}

/**
 * Rewrites every other key database of a laid-out collection (in path order) the way the second
 * writer, KeyStore Explorer, lays it out: its record shape and a V8 stash. Returns the paths rewritten.
 */
export function rewriteAsSecondWriter(collection: string): string[] {
  const kdbs = (readdirSync(collection, { recursive: true }) as string[]).filter((f) => f.endsWith('.kdb')).sort();
  const chosen = kdbs.filter((_, i) => i % 2 === 1);
  for (const rel of chosen) {
    const kdb = join(collection, rel);
    const sth = kdb.replace(/\.kdb$/, '.sth');
    const stash = readStash(readFileSync(sth));
    if (!stash.ok) throw new Error(`${sth}: ${stash.error.message}`);
    const read = readKdb(readFileSync(kdb), stash.password);
    if (!read.ok) throw new Error(`${kdb}: ${read.error.message}`);
    const entries = read.kdb.entries.map((e) => ({ label: e.label, certificate: e.certificate!.der, ...(e.privateKey ? { privateKey: e.privateKey } : {}) }));
    writeFileSync(kdb, writeKdb(entries, stash.password, { shape: 'keystore-explorer', keyIterations: 1024 }));
    writeFileSync(sth, writeStashV8(stash.password));
  }
  return chosen;
}
