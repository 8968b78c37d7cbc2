// Hover: what a piece of the topology means in the product. A component shows its role,
// key database, certificate chain and trust; a property its product option and range;
// a connection its row of the product's table, who verifies whom, and the trust verdict.
import type { Hover, Position } from 'vscode-languageserver';
import type { Connection, Property, Span } from '../../../../grammar/src/index.ts';
import type { Analysis } from '../../analysis/engine.ts';
import type { Entity, Link } from '../../analysis/model.ts';
import { KINDS, SUPPORTED_PAIRS, TLS13_SINCE } from '../../analysis/product.ts';
import { keydbOf } from '../../analysis/rules/context.ts';
import { trustVerdict } from '../../analysis/trust.ts';
import { predatesTls13, tlsRange } from '../../analysis/versions.ts';
import { toRange } from '../convert.ts';
import { nodeAt, type BlockContext } from './at-position.ts';
import { kindRole, propertyMarkdown } from './product-docs.ts';

/** Lists of names in a hover stop here: a hover is a glance, references list the rest. */
const MAX_NAMES = 8;

export function hover(analysis: Analysis, position: Position): Hover | null {
  const node = nodeAt(analysis, analysis.lines.offset(position));
  let markdown: string | null = null;
  let span: Span | null = null;
  switch (node.kind) {
    case 'kind-keyword':
    case 'declaration-name': {
      const entity = analysis.model.entities.find((e) => e.decl === node.declaration);
      markdown = entity ? entityMarkdown(analysis, entity) : null;
      span = node.span;
      break;
    }
    case 'reference': {
      span = node.span;
      if (node.reference.role === 'connection-end') markdown = connectionOf(analysis, node.span, (c) => c.from === node.span || c.to === node.span);
      else markdown = node.target ? entityMarkdown(analysis, node.target) : `\`${node.span.text}\` is not declared in this file.`;
      break;
    }
    case 'property-keyword':
      markdown = propertyHover(analysis, node.property, node.context, node.owner.type === 'declaration' ? node.owner : null);
      span = node.span;
      break;
    case 'value':
      span = node.span;
      if (node.property) {
        const context: BlockContext = node.owner.type === 'connection' ? 'connection' : node.owner.block?.properties.includes(node.property) ? 'declaration' : 'certificate';
        markdown = propertyHover(analysis, node.property, context, node.owner.type === 'declaration' ? node.owner : null);
      } else markdown = connectionOf(analysis, node.span, (c) => c.protocol === node.span);
      break;
    case 'arrow':
      markdown = connectionMarkdown(analysis, linkOf(analysis, node.connection));
      span = node.span;
      break;
    default:
      return null;
  }
  if (!markdown || !span) return null;
  return { contents: { kind: 'markdown', value: markdown }, range: toRange(analysis.lines, span.start, span.end) };
}

function linkOf(a: Analysis, connection: Connection): Link | null {
  return a.model.links.find((l) => l.connection === connection) ?? null;
}

function connectionOf(a: Analysis, span: Span, is: (c: Connection) => boolean): string | null {
  const link = a.model.links.find((l) => l.connection.start <= span.start && span.end <= l.connection.end && is(l.connection));
  return link ? connectionMarkdown(a, link) : null;
}

function nameList(entities: Entity[]): string {
  const shown = entities.slice(0, MAX_NAMES).map((e) => `\`${e.name}\``).join(', ');
  return entities.length > MAX_NAMES ? `${shown} and ${entities.length - MAX_NAMES} more` : shown;
}

function unique(entities: Array<Entity | null>): Entity[] {
  return [...new Set(entities.filter((e): e is Entity => e !== null))];
}

/** Is `x`'s certificate (a CA's, or the one a component presents) issued by `ca`, by signed-by or by DN? */
function issuedBy(a: Analysis, x: Entity, ca: Entity): boolean {
  if (x.kind !== 'ca' && !x.certificate) return false;
  const link = a.chains.issuerOf(x);
  return link.kind === 'ca' && link.ca === ca;
}

function certificateLine(a: Analysis, e: Entity): string {
  const cert = e.certificate;
  if (!cert) return SUPPORTED_PAIRS.some((p) => p.to === e.kind && p.to !== 'db2') ? 'Certificate: none declared' : '';
  const chain = a.chains.of(e);
  const how = cert.mode === 'file' ? `file \`${cert.file?.text ?? '?'}\`` : cert.mode === 'signed-by' ? `signed by \`${cert.issuer?.text ?? '?'}\`` : 'self-signed';
  if (!chain || chain.broken) return `Certificate: ${how} — chain cannot be built`;
  const path = [e.name, ...chain.cas.map((c) => c.name)].join(' → ');
  const root = chain.root === e ? `its own (initiators trust \`${e.name}\` itself)` : chain.root ? `\`${chain.root.name}\`` : 'unknown (issuer matches no ca)';
  return `Certificate: ${how}; chain ${path}; root ${root}`;
}

function entityMarkdown(a: Analysis, e: Entity): string {
  const facts = KINDS[e.kind];
  const lines = [`**${e.kind} ${e.name}** — ${facts.title}`, '', ...kindRole(e.kind), ''];
  if (e.kind === 'ca') {
    // The analysis's own chain: a CA read from a file is what its file says (spec §4.2 v1.1).
    const chain = a.chains.chainOfCa(e);
    const subject = e.props.get('subject')?.values[0]?.text ?? a.chains.fileCertificate(e)?.subject ?? `CN=${e.name}`;
    lines.push(`Subject: \`${subject}\``);
    const root = chain.root ? `root \`${chain.root.name}\`` : 'root unknown: no ca of this file issued it';
    lines.push(chain.broken ? 'Chain: cannot be built (see the diagnostics)' : chain.cas.length > 1 || !chain.root ? `Chain: ${chain.cas.map((c) => c.name).join(' → ')} (${root})` : 'Root CA');
    const signs = a.model.entities.filter((x) => x.isFirst && x !== e && issuedBy(a, x, e));
    if (signs.length) lines.push(`Signs: ${nameList(signs)}`);
  } else {
    const declared = e.props.get('keydb')?.values[0]?.text;
    if (facts.keydb || declared) lines.push(`Key database: ${declared ? `\`${declared}\` (declared)` : facts.keydbNote}`);
    const cert = certificateLine(a, e);
    if (cert) lines.push(cert);
    if (e.trusts.length) lines.push(`Trusts: ${e.trusts.map((v) => `\`${v.text}\``).join(', ')}`);
    const opens = unique(a.model.links.filter((l) => l.from === e).map((l) => l.to));
    const answers = unique(a.model.links.filter((l) => l.to === e).map((l) => l.from));
    if (opens.length) lines.push(`Opens sessions to: ${nameList(opens)}`);
    if (answers.length) lines.push(`Answers sessions from: ${nameList(answers)}`);
  }
  const trustedBy = a.model.entities.filter((x) => x.isFirst && x.trusts.some((v) => v.text === e.name));
  if (trustedBy.length) lines.push(`Trusted by: ${nameList(trustedBy)}`);
  return lines.join('  \n').replace(/ {2}\n {2}\n/g, '\n\n');
}

function propertyHover(a: Analysis, p: Property, context: BlockContext, owner: { name: { text: string } | null } | null): string | null {
  const doc = propertyMarkdown(p.name, context);
  if (!doc) return null;
  const entity = owner?.name ? a.model.byName.get(owner.name.text) : undefined;
  if (!entity || context !== 'declaration' || entity.decl.block?.properties.includes(p) !== true) return doc;
  const extra: string[] = [];
  if (entity.ignored.some((i) => i.property === p && i.reason === 'not-applicable')) extra.push(`⚠ \`${p.name}\` means nothing for a ${entity.kind}: it is ignored.`);
  else if (p.name === 'tls-min' || p.name === 'tls-max') {
    const range = tlsRange(entity);
    if (range) extra.push(`${entity.name} accepts TLS ${range.min}–${range.max}${range.empty ? ' (an empty range)' : ''}.`);
  } else if (p.name === 'version') {
    extra.push(predatesTls13(entity) ? `Below ${TLS13_SINCE}: TLS 1.3 cannot be enabled.` : `TLS 1.3 can be enabled (${TLS13_SINCE} or later).`);
  } else if (p.name === 'certificate') {
    extra.push(certificateLine(a, entity));
  }
  return extra.length ? `${doc}\n\n${extra.join('\n\n')}` : doc;
}

function connectionMarkdown(a: Analysis, link: Link | null): string | null {
  if (!link) return null;
  const c = link.connection;
  const head = `**${c.from.text} -> ${c.to?.text ?? '?'}** · ${link.tls ? 'TLS' : 'plain'}`;
  const { from, to } = link;
  if (!from || !to) {
    const missing = [!from ? c.from.text : null, c.to && !to ? c.to.text : null].filter(Boolean).map((n) => `\`${n}\``);
    return `${head}\n\n${missing.length ? `${missing.join(' and ')} not declared.` : 'The responder is missing.'}`;
  }
  if (link.status === 'self') return `${head}\n\nA component cannot open a session to itself.`;
  if (link.status === 'unsupported') {
    const allowed = SUPPORTED_PAIRS.filter((p) => p.from === from.kind).map((p) => p.to);
    return `${head}\n\n${from.kind} → ${to.kind} is not in the product's table of SSL clients and servers.` +
      (allowed.length ? ` A ${from.kind} opens sessions to: ${allowed.join(', ')}.` : ` A ${from.kind} opens no sessions.`);
  }
  const lines = [head, '', `${from.kind} → ${to.kind}: ${link.scenario?.scenario ?? ''}`, ''];
  if (link.status === 'tls-to-db2') return [...lines, '❌ Never TLS to the server\'s Db2 instance: mark it `plain`.'].join('\n');
  if (link.status === 'db2-plain') return [...lines, 'Plain, as the product requires for its database.'].join('\n');
  if (link.status === 'ldap-plain') return [...lines, '❌ LDAP password authentication requires TLS: remove `plain`.'].join('\n');
  lines.push(`**${from.name}** opens the session and verifies (SSL client, trust in its ${keydbOf(from)}); **${to.name}** answers and presents its certificate (SSL server).`, '');
  const verdict = trustVerdict(from, to, a.chains);
  if (verdict.kind === 'trusted') lines.push(`✅ Trusted: ${from.name} trusts \`${verdict.via.name}\`${verdict.via === to ? ` (${to.name}'s own certificate)` : ''}.`);
  else if (verdict.kind === 'untrusted') lines.push(`❌ Not trusted: ${verdict.reason} ${from.name} needs ${verdict.needs}.`);
  else lines.push(`Trust not judged: ${verdict.reason}.`);
  const ra = tlsRange(from);
  const rb = tlsRange(to);
  if (ra && rb) {
    const lo = ra.min > rb.min ? ra.min : rb.min;
    const hi = ra.max < rb.max ? ra.max : rb.max;
    lines.push('', `TLS: ${from.name} ${ra.min}–${ra.max}, ${to.name} ${rb.min}–${rb.max}` + (lo <= hi ? ` → negotiates TLS ${hi}` : ' → no common version'));
  }
  return lines.join('\n');
}
