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
  props: Map<string, Property>;
  /** Every `san` value (san lists add up). */
  sans: Value[];
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
  props: Map<string, Property>;
  ignored: Array<{ property: Property; reason: IgnoredReason }>;
  /** Every entry of every applicable `trusts` (trusts lists add up). */
  trusts: Value[];
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
  props: ReadonlyMap<string, Property>;
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

  const links = connections.map((c, index) => link(c, index, byName, references));
  return { file, entities, byName, links, references };
}

function declare(decl: Declaration, index: number, isFirst: boolean, references: Reference[]): Entity {
  const entity: Entity = {
    decl, name: decl.name!.text, kind: decl.kind, index, isFirst,
    props: new Map(), ignored: [], trusts: [], certificate: null,
  };
  for (const p of propertiesOf(decl.block)) {
    // Every occurrence's references are checked, counted or not (spec §5.1).
    collectReferences(p, entity, references);
    if (!isApplicable(p.name, decl.kind)) {
      entity.ignored.push({ property: p, reason: 'not-applicable' });
      continue;
    }
    if (p.name === 'trusts') {
      for (const v of p.values) entity.trusts.push(v);
      if (!entity.props.has('trusts')) entity.props.set('trusts', p);
      continue;
    }
    if (entity.props.has(p.name)) {
      entity.ignored.push({ property: p, reason: 'duplicate' });
      continue;
    }
    entity.props.set(p.name, p);
  }
  const cert = entity.props.get('certificate');
  if (cert) entity.certificate = certificateSpec(cert);
  return entity;
}

function certificateSpec(property: Property): CertificateSpec {
  const [mode, arg] = property.values;
  const spec: CertificateSpec = {
    property,
    mode: mode?.text === 'signed-by' ? 'signed-by' : mode?.text === 'file' ? 'file' : 'self-signed',
    issuer: mode?.text === 'signed-by' ? arg ?? null : null,
    file: mode?.text === 'file' ? arg ?? null : null,
    props: new Map(),
    sans: [],
  };
  for (const p of propertiesOf(property.block)) {
    if (p.name === 'san') for (const v of p.values) spec.sans.push(v);
    if (!spec.props.has(p.name)) spec.props.set(p.name, p);
  }
  return spec;
}

/** Properties of a block beyond the first of each name (all but `trusts` and `san`, which add up). */
export function repeatedProperties(block: Block | null | undefined): Property[] {
  if (!block) return [];
  const seen = new Set<string>();
  const out: Property[] = [];
  for (const p of block.properties) {
    if (p.name === 'trusts' || p.name === 'san') continue;
    if (seen.has(p.name)) out.push(p);
    else seen.add(p.name);
  }
  return out;
}

function collectReferences(p: Property, entity: Entity, out: Reference[]): void {
  if (p.name === 'trusts') for (const v of p.values) out.push({ value: v, role: 'trusts', owner: entity });
  else if (p.name === 'signed-by' && p.values[0]) out.push({ value: p.values[0], role: 'signed-by', owner: entity });
  else if (p.name === 'spoke-of' && p.values[0]) out.push({ value: p.values[0], role: 'spoke-of', owner: entity });
  else if (p.name === 'certificate' && p.values[0]?.text === 'signed-by' && p.values[1]) {
    out.push({ value: p.values[1], role: 'certificate-signed-by', owner: entity });
  }
}

const NO_PROPERTIES: ReadonlyMap<string, Property> = new Map();

function link(connection: Connection, index: number, byName: Map<string, Entity>, references: Reference[]): Link {
  references.push({ value: connection.from, role: 'connection-end', owner: null });
  if (connection.to) references.push({ value: connection.to, role: 'connection-end', owner: null });
  const from = byName.get(connection.from.text) ?? null;
  const to = connection.to ? byName.get(connection.to.text) ?? null : null;
  const tls = connection.protocol?.text !== 'plain';
  let props = NO_PROPERTIES;
  if (connection.block && connection.block.properties.length > 0) {
    const own = new Map<string, Property>();
    for (const p of connection.block.properties) if (!own.has(p.name)) own.set(p.name, p);
    props = own;
  }
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

// Most blocks are absent; one shared empty list spares an allocation per `?? []`.
const NO_PROPERTY_LIST: readonly Property[] = [];

/** The properties of a block that may be absent. */
export function propertiesOf(block: Block | null | undefined): readonly Property[] {
  return block ? block.properties : NO_PROPERTY_LIST;
}

/** Does this declaration hold a certificate another component could trust? */
export function holdsCertificate(e: Entity): boolean {
  return e.kind === 'ca' || e.certificate !== null;
}
