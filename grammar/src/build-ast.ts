// Turns Chevrotain's CST and recognition errors into the typed AST and `syntax`
// errors. Tokens that recovery invented (`isInsertedInRecovery`) never become
// values, and a property missing a required value is dropped: it would otherwise
// turn one typo into follow-on diagnostics (`port port 1501` must not also be a
// duplicate `port`).
import type { CstNode, IRecognitionException, IToken } from 'chevrotain';
import type { Block, Comment, Connection, Declaration, Property, SptlsFile, Statement, SyntaxError, Value } from './ast.ts';
import { ConnectionStart, IntegerLiteral, Identifier, StringLiteral, VersionLiteral, type Kind, type LexError } from './tokens.ts';
import { found, isEof } from './parser.ts';
import { closestKeyword, propertyContextError, unknownPropertyMessage, type BlockContext } from './property-contexts.ts';

function isReal(t: IToken): boolean {
  return t.isInsertedInRecovery !== true && Number.isFinite(t.startOffset) && t.startOffset >= 0;
}

function tokenEnd(t: IToken): number {
  return t.startOffset + t.image.length;
}

const properString = /^"(?:[^"\\\r\n]|\\[^\r\n])*"$/;

function stringText(image: string): string {
  const body = properString.test(image) ? image.slice(1, -1) : image.slice(1);
  return body.includes('\\') ? body.replace(/\\(["\\])/g, '$1') : body;
}

function toValue(t: IToken): Value {
  const type = t.tokenType;
  const kind = type === StringLiteral ? 'string'
    : type === IntegerLiteral ? 'integer'
      : type === VersionLiteral ? 'version'
        : type === Identifier || type === ConnectionStart ? 'name' : 'keyword';
  return { kind, text: kind === 'string' ? stringText(t.image) : t.image, start: t.startOffset, end: tokenEnd(t) };
}

/** Appends the real tokens of a CST child list as values (recovery-inserted ones never become values). */
function take(into: Value[], list: IToken[] | undefined): void {
  if (!list) return;
  for (let i = 0; i < list.length; i++) if (isReal(list[i]!)) into.push(toValue(list[i]!));
}

/** Properties come grouped by rule alternative only after recovery; usually they are in order already. */
function isSorted(items: Array<{ start: number }>): boolean {
  for (let i = 1; i < items.length; i++) if (items[i]!.start < items[i - 1]!.start) return false;
  return true;
}

function firstReal(list: IToken[] | undefined): IToken | undefined {
  if (list) for (let i = 0; i < list.length; i++) if (isReal(list[i]!)) return list[i];
  return undefined;
}

function firstToken(children: CstNode['children'], key: string): IToken | undefined {
  const list = children[key] as IToken[] | undefined;
  const t = list?.[0];
  return t && isReal(t) ? t : undefined;
}

/** Values that each property needs before it means anything; fewer means recovery cut it short. */
const requiredValues: Record<string, number> = {
  address: 1, keydb: 1, instance: 1, subject: 1, file: 1, label: 1,
  port: 1, 'admin-port': 1, 'ssl-port': 1, 'ssl-admin-port': 1,
  version: 1, 'tls-min': 1, 'tls-max': 1, fips: 1,
  'spoke-of': 1, 'signed-by': 1, purpose: 1, trusts: 1, san: 1,
  hub: 0, key: 2, valid: 2, certificate: 1,
};

// Values are gathered here and copied out at their exact length: an array grown by push
// from [] keeps room for 16, and the AST keeps one per property.
const scratch: Value[] = [];

export class AstBuilder {
  readonly errors: SyntaxError[] = [];

  private readonly statements: Statement[] = [];

  addStatements(cst: CstNode): void {
    const statements = this.statements;
    for (const node of (cst.children['declaration'] as CstNode[] | undefined) ?? []) {
      const d = this.declaration(node);
      if (d) statements.push(d);
    }
    for (const node of (cst.children['connection'] as CstNode[] | undefined) ?? []) {
      const c = this.connection(node);
      if (c) statements.push(c);
    }
  }

  finishFile(comments: IToken[], last: IToken | undefined): SptlsFile {
    const statements = this.statements.sort((a, b) => a.start - b.start);
    return {
      statements,
      comments: comments.map((t): Comment => ({ text: t.image, start: t.startOffset, end: tokenEnd(t) })),
      lastTokenSpan: last ? { start: last.startOffset, end: tokenEnd(last) } : null,
    };
  }

  private declaration(node: CstNode): Declaration | null {
    const kindTok = firstToken(node.children, 'KindKeyword');
    if (!kindTok) return null;
    const nameTok = firstToken(node.children, 'Identifier');
    const blockNode = (node.children['block'] as CstNode[] | undefined)?.[0];
    const block = blockNode ? this.block(blockNode, 'declaration') : null;
    const end = block ? block.end : nameTok ? tokenEnd(nameTok) : tokenEnd(kindTok);
    return {
      type: 'declaration',
      kind: kindTok.image as Kind,
      kindSpan: { start: kindTok.startOffset, end: tokenEnd(kindTok) },
      name: nameTok ? toValue(nameTok) : null,
      block,
      start: kindTok.startOffset,
      end,
    };
  }

  private connection(node: CstNode): Connection | null {
    // Recovery may drop the ConnectionStart and leave only Identifiers: the first real name is the start.
    const starts = node.children['ConnectionStart'] as IToken[] | undefined;
    const names = node.children['Identifier'] as IToken[] | undefined;
    const name = firstReal(names);
    const from = firstReal(starts) ?? name;
    const arrow = firstToken(node.children, 'Arrow');
    if (!from) return null;
    // Without the arrow there is no connection, only a stray name; its error is already reported.
    if (!arrow) return null;
    const to = name && name !== from && name.startOffset > arrow.startOffset ? name : undefined;
    const protocol = firstToken(node.children, 'ProtocolKeyword');
    const blockNode = (node.children['block'] as CstNode[] | undefined)?.[0];
    const block = blockNode ? this.block(blockNode, 'connection') : null;
    const end = block ? block.end : protocol ? tokenEnd(protocol) : to ? tokenEnd(to) : tokenEnd(arrow);
    return {
      type: 'connection',
      from: toValue(from),
      arrowSpan: { start: arrow.startOffset, end: tokenEnd(arrow) },
      to: to ? toValue(to) : null,
      protocol: protocol ? toValue(protocol) : null,
      block,
      start: from.startOffset,
      end,
    };
  }

  private block(node: CstNode, context: BlockContext): Block {
    const open = firstToken(node.children, 'LCurly');
    const close = firstToken(node.children, 'RCurly');
    const properties: Property[] = [];
    let end = open ? tokenEnd(open) : 0;
    for (const p of (node.children['property'] as CstNode[] | undefined) ?? []) {
      const prop = this.property(p, context);
      if (!prop) continue;
      end = Math.max(end, prop.end);
      const misplaced = propertyContextError(prop.name, context);
      if (misplaced) this.errors.push({ message: misplaced, start: prop.start, end: prop.start + prop.name.length });
      else properties.push(prop);
    }
    for (const u of (node.children['unknownProperty'] as CstNode[] | undefined) ?? []) {
      const name = firstToken(u.children, 'Identifier');
      if (!name) continue;
      // Right after a trusts list, a bare name is a missing ',' rather than a misspelt property.
      const before = lastEndingBefore(properties, name.startOffset);
      const message = before?.name === 'trusts' && !closestKeyword(name.image, context)
        ? `expected ',' before '${name.image}': the names of a trusts list are separated by commas (trusts ${before.values.map((v) => v.text).join(', ')}, ${name.image})`
        : unknownPropertyMessage(name.image, context);
      this.errors.push({ message, start: name.startOffset, end: tokenEnd(name) });
    }
    if (!isSorted(properties)) properties.sort((a, b) => a.start - b.start);
    if (close) end = tokenEnd(close);
    // Copied at its exact length, as values are.
    return { properties: properties.slice(), closed: close !== undefined, start: open ? open.startOffset : end, end };
  }

  private property(node: CstNode, context: BlockContext): Property | null {
    // Each alternative of the `property` rule has its own head key, and its values come in
    // a fixed order, so the tokens are read by name: cheaper than walking every child key.
    const c = node.children as Record<string, IToken[] | undefined>;
    const values = scratch;
    values.length = 0;
    let head: IToken | undefined;
    if ((head = c['StringPropKeyword']?.[0])) take(values, c['StringLiteral']);
    else if ((head = c['KW_trusts']?.[0])) take(values, c['Identifier']);
    else if ((head = c['VersionPropKeyword']?.[0])) { take(values, c['VersionLiteral']); take(values, c['IntegerLiteral']); }
    else if ((head = c['IntPropKeyword']?.[0])) take(values, c['IntegerLiteral']);
    else if ((head = c['KW_certificate']?.[0])) {
      take(values, c['KW_self_signed']);
      take(values, c['KW_signed_by']);
      take(values, c['KW_file']);
      take(values, c['Identifier']);
      take(values, c['StringLiteral']);
    } else if ((head = c['NamePropKeyword']?.[0])) take(values, c['Identifier']);
    else if ((head = c['KW_key']?.[0])) { take(values, c['KW_rsa']); take(values, c['KW_ec']); take(values, c['IntegerLiteral']); take(values, c['CurveKeyword']); }
    else if ((head = c['KW_valid']?.[0])) { take(values, c['IntegerLiteral']); take(values, c['UnitKeyword']); }
    else if ((head = c['KW_san']?.[0])) take(values, c['StringLiteral']);
    else if ((head = c['KW_fips']?.[0])) take(values, c['YesNoKeyword']);
    else head = c['KW_hub']?.[0];
    if (!head || !isReal(head)) return null;
    const name = head.image;
    if (values.length < (requiredValues[name] ?? 0)) return null;
    // The parser takes an integer where a version goes so that `tls-min 1` can be an
    // invalid-value ("write 1.2"); a product version has a dot (spec §5.1, v1.1).
    if (name === 'version' && values[0]!.kind === 'integer') {
      const v = values[0]!;
      this.errors.push({ message: `expected a version with a dot after 'version', found '${v.text}': write the full product level, e.g. 8.1.22`, start: v.start, end: v.end });
      return null;
    }
    if (name === 'certificate' && (values[0]?.text === 'signed-by' || values[0]?.text === 'file') && values.length < 2) return null;
    const sub = (node.children['block'] as CstNode[] | undefined)?.[0];
    const own = values.slice(); // before the sub-block reuses the scratch list
    const block = sub ? this.block(sub, context === 'connection' ? 'connection' : 'certificate') : undefined;
    const last = own[own.length - 1];
    const property: Property = {
      name,
      values: own,
      start: head.startOffset,
      end: block ? block.end : last ? last.end : tokenEnd(head),
    };
    if (block) property.block = block;
    return property;
  }

  /**
   * Recognition errors become `syntax` errors at the offending token; at end of input
   * (or on a token with no position) at the last real token before it.
   */
  addRecognitionErrors(errors: IRecognitionException[], tokens: IToken[], next: IToken | undefined): void {
    for (const e of errors) {
      const t = e.token;
      let start: number;
      let end: number;
      let message = e.message;
      if (t && !isEof(t) && isReal(t)) {
        start = t.startOffset;
        end = tokenEnd(t);
      } else if (next) {
        // The statement ended early because the next one begins: that token is the offending one.
        start = next.startOffset;
        end = tokenEnd(next);
        message = message.replace('found the end of the file', `found ${found(next)}`);
      } else {
        const prev = lastRealBefore(tokens, (e as IRecognitionException & { previousToken?: IToken }).previousToken);
        if (!prev) { start = 0; end = 0; } else { start = prev.startOffset; end = tokenEnd(prev); }
      }
      this.errors.push({ message, start, end });
    }
  }

  addLexErrors(errors: LexError[]): void {
    for (const e of errors) this.errors.push({ message: e.message, start: e.start, end: e.end });
  }
}

/** The property of `list` that ends last at or before `offset`. */
function lastEndingBefore(list: readonly Property[], offset: number): Property | undefined {
  let best: Property | undefined;
  for (const p of list) if (p.end <= offset && (!best || p.end > best.end)) best = p;
  return best;
}

function lastRealBefore(tokens: IToken[], prev: IToken | undefined): IToken | undefined {
  if (prev && isReal(prev) && !isEof(prev)) return prev;
  for (let i = tokens.length - 1; i >= 0; i--) if (isReal(tokens[i]!)) return tokens[i];
  return undefined;
}
