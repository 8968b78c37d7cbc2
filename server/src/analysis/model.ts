// The semantic model of one topology: declarations with their effective properties,
// resolved references and classified connections. Built once per text version and
// read by every rule and editor feature; it reports nothing itself.
import type { Block, Connection, Declaration, Kind, Property, SptlsFile, Value } from '../../../grammar/src/index.ts';
import { isApplicable, scenarioFor, type Scenario } from './product.ts';
import type { TlsRange } from './versions.ts';


export interface CertificateSpec {
  /** The `certificate` property (its keyword anchors shared-certificate). */
  property: Property;
  mode: 'self-signed' | 'signed-by' | 'file';
  issuer: Value | null;
  file: Value | null;
  /** First occurrence of each certificate-block property. */
  props: Properties;
  /** Every `san` value (san lists add up). */
  sans: readonly Value[];
}

/** Why a property does not count for its declaration. */
export type IgnoredReason = 'not-applicable' | 'duplicate';

export interface Entity {
  decl: Declaration;
  name: string;
  kind: Kind;
  /** Position among all declarations. */
  index: number;
  /** False for the second and later declarations of a name; references never resolve to those. */
  isFirst: boolean;
  /** First applicable occurrence of each property. */
  props: Properties;
  ignored: ReadonlyArray<{ property: Property; reason: IgnoredReason }>;
  /** Every entry of every applicable `trusts` (trusts lists add up). */
  trusts: readonly Value[];
  certificate: CertificateSpec | null;
  /** Memo of versions.ts `tlsRange`: undefined until asked. */
  tlsRange?: TlsRange | null;
}

export type ReferenceRole = 'trusts' | 'signed-by' | 'certificate-signed-by' | 'spoke-of' | 'connection-end';

export interface Reference {
  value: Value;
  role: ReferenceRole;
  /** The declaration the reference stands in (none for connection ends). */
  owner: Entity | null;
  /** The first declaration of the name, if any: resolved once, when the model is built. */
  target: Entity | null;
}

export type LinkStatus =
  | 'unresolved' // an end names nothing
  | 'self' // A -> A
  | 'unsupported' // not a pair of the product's table
  | 'tls-to-db2'
  | 'db2-plain' // the required plain database connection: nothing more to check
  | 'ldap-plain'
  | 'checked'; // a supported connection the trust and version rules look at

export interface Link {
  connection: Connection;
  index: number;
  from: Entity | null;
  to: Entity | null;
  tls: boolean;
  status: LinkStatus;
  scenario: Scenario | null;
  /** First occurrence of each connection-block property. */
  props: Properties;
}

export interface Model {
  file: SptlsFile;
  entities: Entity[];
  /** Name → first declaration. */
  byName: Map<string, Entity>;
  links: Link[];
  references: Reference[];
}

export function buildModel(file: SptlsFile): Model {
  const entities: Entity[] = [];
  const byName = new Map<string, Entity>();
  const references: Reference[] = [];
  const connections: Connection[] = [];

  for (const st of file.statements) {
    if (st.type === 'connection') { connections.push(st); continue; }
    if (!st.name) continue;
    const entity = declare(st, entities.length, !byName.has(st.name.text), references);
    entities.push(entity);
    if (entity.isFirst) byName.set(entity.name, entity);
  }

  for (const r of references) r.target = byName.get(r.value.text) ?? null;
  const links = connections.map((c, index) => link(c, index, byName, references));
  return { file, entities, byName, links, references };
}

function declare(decl: Declaration, index: number, isFirst: boolean, references: Reference[]): Entity {
  const entity: Entity = {
    decl, name: decl.name!.text, kind: decl.kind, index, isFirst,
    props: NO_PROPERTIES, ignored: NO_IGNORED, trusts: NO_VALUES, certificate: null,
  };
  // Most declarations hold only applicable properties, and then the block's own list is the
  // table; the lists stay shared empty ones until something is added.
  const properties = propertiesOf(decl.block);
  let applicable = properties;
  let ignored: Array<{ property: Property; reason: IgnoredReason }> | null = null;
  let trusts: readonly Value[] | null = null;
  for (let i = 0; i < properties.length; i++) {
    const p = properties[i]!;
    // Every occurrence's references are checked, counted or not (spec §5.1).
    collectReferences(p, entity, references);
    if (!isApplicable(p.name, decl.kind)) {
      (ignored ??= []).push({ property: p, reason: 'not-applicable' });
      if (applicable === properties) applicable = properties.slice(0, i);
      continue;
    }
    if (applicable !== properties) (applicable as Property[]).push(p);
    if (p.name === 'trusts') trusts = trusts ? trusts.concat(p.values) : p.values;
  }
  for (const p of repeatsIn(applicable)) (ignored ??= []).push({ property: p, reason: 'duplicate' });
  if (applicable.length > 0) entity.props = new Properties(applicable);
  if (ignored) entity.ignored = ignored;
  if (trusts) entity.trusts = trusts;
  const cert = entity.props.get('certificate');
  if (cert) entity.certificate = certificateSpec(cert);
  return entity;
}

function certificateSpec(property: Property): CertificateSpec {
  const [mode, arg] = property.values;
  const properties = propertiesOf(property.block);
  let sans: readonly Value[] = NO_VALUES;
  for (const p of properties) if (p.name === 'san') sans = sans.concat(p.values);
  return {
    property,
    mode: mode?.text === 'signed-by' ? 'signed-by' : mode?.text === 'file' ? 'file' : 'self-signed',
    issuer: mode?.text === 'signed-by' ? arg ?? null : null,
    file: mode?.text === 'file' ? arg ?? null : null,
    props: properties.length > 0 ? new Properties(properties) : NO_PROPERTIES,
    sans,
  };
}

/** Properties of a block beyond the first of each name (all but `trusts` and `san`, which add up). */
export function repeatedProperties(block: Block | null | undefined): readonly Property[] {
  return repeatsIn(propertiesOf(block));
}

function repeatsIn(list: readonly Property[]): readonly Property[] {
  let out: Property[] | null = null;
  // Scanning the earlier names beats a Set for the handful of properties a block holds;
  // a long block gets the Set so that it stays linear.
  const seen = list.length > 16 ? new Set<string>() : null;
  for (let i = 0; i < list.length; i++) {
    const name = list[i]!.name;
    if (name === 'trusts' || name === 'san') continue;
    let repeat = false;
    if (seen) {
      repeat = seen.has(name);
      seen.add(name);
    } else {
      for (let j = 0; j < i && !repeat; j++) repeat = list[j]!.name === name;
    }
    if (repeat) (out ??= []).push(list[i]!);
  }
  return out ?? NO_PROPERTY_LIST;
}

/**
 * The first occurrence of each property name in a list, found by a scan: blocks hold a
 * handful of properties, and a Map per declaration cost more to build than all the
 * lookups it served.
 */
export class Properties {
  private readonly list: readonly Property[];

  constructor(list: readonly Property[]) {
    this.list = list;
  }

  get(name: string): Property | undefined {
    const list = this.list;
    for (let i = 0; i < list.length; i++) if (list[i]!.name === name) return list[i];
    return undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }
}

function collectReferences(p: Property, entity: Entity, out: Reference[]): void {
  if (p.name === 'trusts') for (const v of p.values) out.push({ value: v, role: 'trusts', owner: entity, target: null });
  else if (p.name === 'signed-by' && p.values[0]) out.push({ value: p.values[0], role: 'signed-by', owner: entity, target: null });
  else if (p.name === 'spoke-of' && p.values[0]) out.push({ value: p.values[0], role: 'spoke-of', owner: entity, target: null });
  else if (p.name === 'certificate' && p.values[0]?.text === 'signed-by' && p.values[1]) {
    out.push({ value: p.values[1], role: 'certificate-signed-by', owner: entity, target: null });
  }
}

function link(connection: Connection, index: number, byName: Map<string, Entity>, references: Reference[]): Link {
  const from = byName.get(connection.from.text) ?? null;
  const to = connection.to ? byName.get(connection.to.text) ?? null : null;
  references.push({ value: connection.from, role: 'connection-end', owner: null, target: from });
  if (connection.to) references.push({ value: connection.to, role: 'connection-end', owner: null, target: to });
  const tls = connection.protocol?.text !== 'plain';
  const own = propertiesOf(connection.block);
  const props = own.length > 0 ? new Properties(own) : NO_PROPERTIES;
  let status: LinkStatus = 'checked';
  let scenario: Scenario | null = null;
  if (!from || !to) status = 'unresolved';
  else if (connection.from.text === connection.to!.text) status = 'self';
  else {
    scenario = scenarioFor(from.kind, to.kind) ?? null;
    if (!scenario) status = 'unsupported';
    else if (to.kind === 'db2') status = tls ? 'tls-to-db2' : 'db2-plain';
    else if (to.kind === 'ldap' && !tls) status = 'ldap-plain';
  }
  return { connection, index, from, to, tls, status, scenario, props };
}

// Most blocks are absent; shared empty lists spare an allocation per `?? []`.
const NO_PROPERTY_LIST: readonly Property[] = [];
const NO_PROPERTIES = new Properties(NO_PROPERTY_LIST);
const NO_VALUES: readonly Value[] = [];
const NO_IGNORED: Entity['ignored'] = [];

/** The properties of a block that may be absent. */
export function propertiesOf(block: Block | null | undefined): readonly Property[] {
  return block ? block.properties : NO_PROPERTY_LIST;
}

/** Does this declaration hold a certificate another component could trust? */
export function holdsCertificate(e: Entity): boolean {
  return e.kind === 'ca' || e.certificate !== null;
}
