// Completion by position: statement starts at the top level, the properties of the
// enclosing block, the words a property takes, and names filtered by what fits there
// (signed-by → CAs, trusts → certificate holders, `A -> ` → what A may open sessions to).
import {
  CompletionItemKind, InsertTextFormat, type CompletionItem, type Position, type Range,
} from 'vscode-languageserver';
import { CERTIFICATE_PROPERTIES, CONNECTION_PROPERTIES, DECLARATION_PROPERTIES, KIND_KEYWORDS, type Kind } from '../../../../grammar/src/index.ts';
import type { Analysis } from '../../analysis/engine.ts';
import { holdsCertificate, type Entity } from '../../analysis/model.ts';
import { KINDS, PROPERTIES, SUPPORTED_PAIRS, scenarioFor } from '../../analysis/product.ts';
import { cursorContext, type CursorContext, type Scope } from './completion-context.ts';
import { kindMarkdown, propertyMarkdown, type BlockType } from './product-docs.ts';

export interface CompletionOptions {
  /** The client expands snippets (`${1:name}` placeholders). */
  snippets?: boolean;
}

/** Re-opens the suggestion list after a word that takes a value. */
const SUGGEST_AGAIN = { title: 'suggest', command: 'editor.action.triggerSuggest' };

const SNIPPETS: Record<Kind, string> = {
  server: 'server ${1:NAME} {\n\taddress "${2:host.example.com}"\n\tversion ${3:8.1.22}\n\tcertificate ${4:self-signed}\n\ttrusts ${5:ROOT_CA}\n}',
  client: 'client ${1:NAME} {\n\tversion ${2:8.1.22}\n\ttrusts ${3:ROOT_CA}\n}',
  'storage-agent': 'storage-agent ${1:NAME} {\n\taddress "${2:host.example.com}"\n\tport ${3:1502}\n\tcertificate ${4:self-signed}\n\ttrusts ${5:ROOT_CA}\n}',
  'operations-center': 'operations-center ${1:NAME} {\n\tkeydb "${2:gui-truststore.p12}"\n\ttrusts ${3:ROOT_CA}\n}',
  'reporting-agent': 'reporting-agent ${1:NAME} {\n\tkeydb "${2:truststore.p12}"\n\ttrusts ${3:ROOT_CA}\n}',
  ldap: 'ldap ${1:NAME} {\n\taddress "${2:ldap.example.com}"\n\tport ${3:636}\n\tcertificate signed-by ${4:CA}\n}',
  db2: 'db2 ${1:NAME} { instance "${2:tsminst1}" port ${3:51500} }',
  ca: 'ca ${1:NAME} {\n\tsubject "${2:CN=$1}"\n\tkey rsa ${3:4096}\n\tvalid ${4:10} years\n}',
};

/** Words a property takes, when they are a closed set. */
const VALUE_WORDS: Record<string, Array<[word: string, doc: string]>> = {
  certificate: [
    ['signed-by', 'a certificate issued by a `ca` of this file'],
    ['self-signed', 'the component\'s own self-signed certificate (a server: label `TSM Server SelfSigned SHA Key`, exported as `cert256.arm`)'],
    ['file', 'an existing certificate file (PEM/ARM or DER), relative to this file\'s folder'],
  ],
  key: [['rsa', 'RSA key: `rsa 2048`, `3072` or `4096`'], ['ec', 'elliptic-curve key: `ec p256` or `ec p384`']],
  rsa: [['2048', 'the default for certificates'], ['3072', ''], ['4096', 'the default for CAs']],
  ec: [['p256', 'NIST P-256'], ['p384', 'NIST P-384']],
  fips: [['yes', 'SSLFIPSMODE YES: FIPS-approved cipher suites only'], ['no', 'SSLFIPSMODE NO (the default)']],
  'tls-min': [['1.2', 'the default'], ['1.3', 'needs 8.1.11 or later'], ['1.1', 'legacy'], ['1.0', 'legacy']],
  'tls-max': [['1.3', 'the default where `version` is 8.1.11 or later or absent'], ['1.2', 'the default below 8.1.11']],
  purpose: [['replication', ''], ['library-sharing', ''], ['hub-spoke', ''], ['command-routing', ''], ['backup', '']],
};

const PROPERTIES_OF: Record<Exclude<BlockType, 'declaration'>, readonly string[]> = {
  certificate: CERTIFICATE_PROPERTIES,
  connection: CONNECTION_PROPERTIES,
};

/** Properties whose value is a string: the snippet puts the cursor between the quotes. */
const STRING_PROPERTIES: ReadonlySet<string> = new Set(['address', 'keydb', 'instance', 'subject', 'file', 'san', 'label']);

export function completion(analysis: Analysis, position: Position, options: CompletionOptions = {}): CompletionItem[] {
  const offset = analysis.lines.offset(position);
  const ctx = cursorContext(analysis, offset);
  if (ctx.quiet) return [];
  const range: Range = { start: analysis.lines.position(ctx.wordStart), end: position };
  const out = new Items(range, options.snippets !== false);
  const { scope } = ctx;
  if (scope.type === 'top') topLevel(analysis, ctx, out);
  else if (scope.type === 'declaration' || scope.type === 'certificate' || scope.type === 'connection') inBlock(analysis, scope, ctx, out);
  return out.items;
}

class Items {
  readonly items: CompletionItem[] = [];
  private readonly range: Range;
  private readonly snippets: boolean;

  constructor(range: Range, snippets: boolean) {
    this.range = range;
    this.snippets = snippets;
  }

  add(label: string, kind: CompletionItemKind, detail: string, doc: string, extra: { insert?: string; snippet?: string; sort?: string; again?: boolean } = {}): void {
    const snippet = this.snippets ? extra.snippet : undefined;
    this.items.push({
      label,
      kind,
      detail,
      ...(doc ? { documentation: { kind: 'markdown', value: doc } } : {}),
      textEdit: { range: this.range, newText: snippet ?? extra.insert ?? label },
      ...(snippet ? { insertTextFormat: InsertTextFormat.Snippet } : {}),
      sortText: `${extra.sort ?? '5'}${label}`,
      ...(extra.again ? { command: SUGGEST_AGAIN } : {}),
    });
  }
}

function firstDeclarations(a: Analysis): Entity[] {
  return a.model.entities.filter((e) => e.isFirst);
}

function topLevel(a: Analysis, ctx: CursorContext, out: Items): void {
  const top = ctx.top;
  if (top.after === 'kind') return;
  if (top.after === 'arrow') { responders(a, top.initiator, out); return; }
  if (top.after === 'responder') {
    const to = a.model.byName.get(top.responder);
    const db2 = to?.kind === 'db2';
    out.add('plain', CompletionItemKind.Keyword, 'no TLS', db2 ? 'required towards the server\'s Db2 instance' : 'only for the Db2 connection; every other pair uses TLS', { sort: db2 ? '0' : '3' });
    out.add('tls', CompletionItemKind.Keyword, 'TLS (the default)', 'connections are TLS unless marked `plain`', { sort: '3' });
  }
  for (const kind of KIND_KEYWORDS) {
    out.add(kind, CompletionItemKind.Snippet, `${kind} declaration`, kindMarkdown(kind), { insert: `${kind} `, snippet: SNIPPETS[kind], sort: '1' });
  }
  const initiators = new Set(SUPPORTED_PAIRS.map((p) => p.from));
  for (const e of firstDeclarations(a)) {
    if (!initiators.has(e.kind)) continue;
    out.add(e.name, CompletionItemKind.Reference, `${e.kind}: open sessions from ${e.name}`, `\`${e.name} -> …\`: ${e.name} initiates and verifies the responder's certificate.`, { insert: `${e.name} -> `, sort: '2', again: true });
  }
}

function responders(a: Analysis, initiatorName: string, out: Items): void {
  const initiator = a.model.byName.get(initiatorName);
  // Looked up once per kind: a large site has tens of thousands of declarations and a handful of kinds.
  const scenarios = new Map<Kind, ReturnType<typeof scenarioFor>>();
  for (const e of a.model.entities) {
    if (!e.isFirst || e.name === initiatorName || e.kind === 'ca') continue;
    let scenario = scenarios.get(e.kind);
    if (initiator && !scenarios.has(e.kind)) scenarios.set(e.kind, scenario = scenarioFor(initiator.kind, e.kind));
    if (initiator && !scenario) continue;
    out.add(e.name, CompletionItemKind.Reference, e.kind, scenario ? `${initiator!.kind} → ${e.kind}: ${scenario.scenario}` : KINDS[e.kind].title);
  }
}

function inBlock(a: Analysis, scope: Exclude<Scope, { type: 'top' } | { type: 'unknown' }>, ctx: CursorContext, out: Items): void {
  const prev = ctx.previous.at(-1)?.image;
  const prev2 = ctx.previous.at(-2)?.image;
  const self = scope.type === 'connection' ? null : scope.name;
  const owner = self ? a.model.byName.get(self) : undefined;

  if (prev === 'trusts' || (prev === ',' && ctx.trustsList)) { trustable(a, self, ctx, out); return; }
  if (prev === 'signed-by') { names(a, (e) => e.kind === 'ca' && e.name !== self, out); return; }
  if (prev === 'spoke-of') { names(a, (e) => e.kind === 'server' && e.name !== self, out, (e) => (e.props.has('hub') ? '0' : '5')); return; }
  if (prev === 'valid' || (prev !== undefined && /^\d+$/.test(prev) && prev2 === 'valid')) {
    if (prev !== 'valid') for (const unit of prev === '1' ? ['year', 'day'] : ['years', 'days']) out.add(unit, CompletionItemKind.Keyword, 'unit', '');
    return;
  }
  if (prev === 'keydb' && scope.type === 'declaration') {
    const file = KINDS[scope.kind].keydb;
    if (file) out.add(`"${file}"`, CompletionItemKind.Value, `default for a ${scope.kind}`, KINDS[scope.kind].keydbNote);
    return;
  }
  if (prev !== undefined && VALUE_WORDS[prev]) {
    if (prev === 'purpose' && scope.type !== 'connection') return;
    for (const [word, doc] of VALUE_WORDS[prev]) {
      out.add(word, CompletionItemKind.Value, prev, doc, { again: prev === 'certificate' && word === 'signed-by' || prev === 'key' });
    }
    return;
  }
  if (prev !== undefined && takesValue(prev, scope.type)) return;

  const block: BlockType = scope.type;
  const kind = scope.type === 'connection' ? null : scope.kind;
  const candidates = block === 'declaration' ? DECLARATION_PROPERTIES.filter((p) => kind && PROPERTIES[p]!.kinds.includes(kind)) : PROPERTIES_OF[block];
  for (const p of candidates) {
    if (p !== 'trusts' && block === 'declaration' && owner?.props.has(p)) continue;
    const doc = propertyMarkdown(p, block) ?? '';
    const snippet = STRING_PROPERTIES.has(p) ? `${p} "$1"` : undefined;
    const again = !snippet && p !== 'hub';
    out.add(p, CompletionItemKind.Property, block === 'declaration' ? `${kind} property` : `${block} property`, doc, {
      insert: p === 'hub' ? p : `${p} `,
      ...(snippet ? { snippet } : {}),
      again,
    });
  }
}

/** Does `word` (the token before the cursor) still wait for its value? */
function takesValue(word: string, block: BlockType): boolean {
  if (block === 'connection') return word === 'port';
  return (DECLARATION_PROPERTIES as readonly string[]).includes(word) && word !== 'hub'
    || (CERTIFICATE_PROPERTIES as readonly string[]).includes(word);
}

function names(a: Analysis, fits: (e: Entity) => boolean, out: Items, sort?: (e: Entity) => string): void {
  for (const e of firstDeclarations(a)) {
    if (fits(e)) out.add(e.name, CompletionItemKind.Reference, e.kind, KINDS[e.kind].title, sort ? { sort: sort(e) } : {});
  }
}

/** CAs (roots first) and components with a certificate, minus those already in this list. */
function trustable(a: Analysis, self: string | null, ctx: CursorContext, out: Items): void {
  const listed = new Set<string>();
  for (let i = ctx.previous.length - 1; i >= 0 && ctx.previous[i]!.image !== 'trusts'; i--) listed.add(ctx.previous[i]!.image);
  names(a, (e) => e.name !== self && !listed.has(e.name) && holdsCertificate(e), out, (e) => {
    if (e.kind !== 'ca') return '3';
    return e.props.has('signed-by') ? '2' : '0';
  });
}
