// Round trip: a topology -> `sptls issue` + `sptls keydb --native-kdb` -> the files its hosts would
// hold, laid out as a collection (every other key database rewritten in KeyStore Explorer's shape,
// as written natively and by the second writer) -> `sptls import` -> a topology whose `check` gives the same
// verdict on every connection as the original's. For examples/production.sptls and a generated
// environment of 2,000 clients.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Analysis } from '../../server/src/analysis/engine.ts';
import type { Entity } from '../../server/src/analysis/model.ts';
import { analyzeFile, generateEnvironment, IMPORTABLE, issueAndKeydb, layOut } from '../../scripts/import-env.ts';
import { ROOT, scratch, sptls } from './support.ts';
import { rewriteAsSecondWriter, verdicts } from './round-trip.ts';

interface Trip { original: Analysis; imported: Analysis; text: string; stdout: string; secondWriter: string[] }

function roundTrip(topology: string): Trip {
  const dir = join(topology, '..');
  const pki = issueAndKeydb(topology);
  layOut(topology, pki, join(dir, 'collection'));
  const secondWriter = rewriteAsSecondWriter(join(dir, 'collection'));
  const r = sptls(['import', 'collection', '--out', 'imported/env.sptls'], dir);
  assert.equal(r.status, 0, r.stderr);
  const path = join(dir, 'imported', 'env.sptls');
  return { original: analyzeFile(topology), imported: analyzeFile(path), text: readFileSync(path, 'utf8'), stdout: r.stdout, secondWriter };
}

/** Imported name -> original name: same name, else same kind and address, else a Db2 by the server that uses it. */
function nameMap(trip: Trip): (name: string) => string {
  const orig = trip.original.model.entities.filter((e) => e.isFirst);
  const address = (e: Entity) => e.props.get('address')?.values[0]?.text;
  const map = new Map<string, string>();
  for (const e of trip.imported.model.entities.filter((x) => x.isFirst)) {
    const same = orig.find((o) => o.name === e.name && o.kind === e.kind) ?? orig.find((o) => o.kind === e.kind && address(o) !== undefined && address(o) === address(e));
    if (same) map.set(e.name, same.name);
  }
  for (const l of trip.imported.model.links) {
    if (l.to?.kind !== 'db2' || !l.from) continue;
    const o = trip.original.model.links.find((k) => k.from?.name === (map.get(l.from!.name) ?? '') && k.to?.kind === 'db2');
    if (o) map.set(l.to.name, o.to!.name);
  }
  return (n) => map.get(n) ?? `(imported ${n})`;
}

/**
 * The imported verdicts without the connections to Db2 instances the original does not declare:
 * the importer gives every server its Db2 (always plain), which must then carry no diagnostic.
 */
function comparable(trip: Trip): Map<string, string[]> {
  const got = verdicts(trip.imported, nameMap(trip));
  for (const [k, codes] of got) {
    if (!k.includes('(imported ')) continue;
    assert.match(k, /_DB\)$/, `only added Db2 instances lack a counterpart: ${k}`);
    assert.deepEqual(codes, [], k);
    got.delete(k);
  }
  return got;
}

/** Verdicts of the original's connections between importable kinds. */
function importableVerdicts(a: Analysis): Map<string, string[]> {
  const kinds = new Map(a.model.entities.map((e) => [e.name, e.kind]));
  const all = verdicts(a);
  return new Map([...all].filter(([k]) => k.split(' -> ').every((n) => IMPORTABLE.has(kinds.get(n) ?? ''))));
}

test('examples/production.sptls: every connection keeps its verdict', { timeout: 600_000 }, () => {
  const dir = scratch('sptls-roundtrip-');
  const topology = join(dir, 'production.sptls');
  copyFileSync(join(ROOT, 'examples', 'production.sptls'), topology);
  const trip = roundTrip(topology);
  assert.ok(trip.secondWriter.length >= 3, `key databases in the second writer's shape: ${trip.secondWriter.join(', ')}`);
  const expected = importableVerdicts(trip.original);
  // The reporting agent's files are not in the facts: its two connections cannot be imported.
  assert.equal(verdicts(trip.original).size - expected.size, 2);
  assert.deepEqual(comparable(trip), expected);
  assert.deepEqual(trip.imported.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code), [], trip.text);
});

test('a generated environment of 2,000 clients: every connection keeps its verdict, planted mistakes included', { timeout: 900_000 }, () => {
  const dir = scratch('sptls-roundtrip-2000-', true);
  const topology = join(dir, 'gen.sptls');
  writeFileSync(topology, generateEnvironment(2000));
  const trip = roundTrip(topology);
  assert.ok(trip.secondWriter.length >= 1000, `${trip.secondWriter.length} key databases in the second writer's shape`);
  assert.match(trip.stdout, /: 6 servers, 1 storage agents, 2000 clients, 1 Operations Centers, 1 LDAP, /);
  const expected = importableVerdicts(trip.original);
  assert.equal(expected.size, verdicts(trip.original).size, 'every connection of the generated environment is importable');
  assert.deepEqual(comparable(trip), expected);
  const untrusted = [...expected].filter(([, codes]) => codes.includes('untrusted-responder')).map(([k]) => k);
  // 20 clients trust only the intermediate (C01940 also reaches STA1 LAN-free), and HUB does not trust OLD.
  assert.equal(untrusted.length, 22, untrusted.join(', '));
  assert.ok(untrusted.includes('HUB -> OLD') && untrusted.includes('C01940 -> STA1'));
});
