// Text edits on a topology: every phase file is the previous one with a few spans
// replaced, so the administrator's comments, order and layout survive the rotation.
// Each helper reads a fresh Analysis of the text it edits; none of them throws.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Analysis } from '../analysis/engine.ts';
import type { Entity } from '../analysis/model.ts';

export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** Applies non-overlapping edits; an insertion at the end of a removal comes after it. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** The offset just after the line that holds `offset` (after its newline). */
function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** A new declaration written on the lines after the declaration of `after`. */
export function declareAfter(analysis: Analysis, after: Entity, declaration: string): TextEdit {
  const at = lineEnd(analysis.text, after.decl.end);
  const lead = at === analysis.text.length && !analysis.text.endsWith('\n') ? '\n' : '';
  return { start: at, end: at, text: `${lead}\n${declaration}\n` };
}

/** Removes a declaration with its whole lines (and one blank line after it). */
export function removeDeclaration(analysis: Analysis, entity: Entity): TextEdit {
  const { text } = analysis;
  const start = lineStart(text, entity.decl.start);
  let end = lineEnd(text, entity.decl.end);
  if (text.slice(end, lineEnd(text, end)).trim() === '') end = lineEnd(text, end);
  return { start, end, text: '' };
}

/** Adds `name` to the component's trusts right after `after`; nothing when it is there already. */
export function addTrust(component: Entity, after: string, name: string): TextEdit | null {
  if (component.trusts.some((v) => v.text === name)) return null;
  const anchor = component.trusts.find((v) => v.text === after);
  if (!anchor) return null;
  return { start: anchor.end, end: anchor.end, text: `, ${name}` };
}

/** Removes `name` from the component's trusts: the entry and its comma, or the whole property when it is alone there. */
export function removeTrust(component: Entity, name: string): TextEdit | null {
  for (const p of component.decl.block?.properties ?? []) {
    if (p.name !== 'trusts') continue;
    const i = p.values.findIndex((v) => v.text === name);
    if (i < 0) continue;
    if (p.values.length === 1) return { start: p.start, end: p.end, text: '' };
    const v = p.values[i]!;
    return i + 1 < p.values.length ? { start: v.start, end: p.values[i + 1]!.start, text: '' } : { start: p.values[i - 1]!.end, end: v.end, text: '' };
  }
  return null;
}

/** Points a `certificate signed-by X` (or a CA's `signed-by X`) at another CA. */
export function setIssuer(entity: Entity, issuer: string): TextEdit | null {
  const ref = entity.kind === 'ca' ? entity.props.get('signed-by')?.values[0] : entity.certificate?.issuer;
  if (!ref || ref.text === issuer) return null;
  return { start: ref.start, end: ref.end, text: issuer };
}

/** Replaces a component's certificate (with its block) by `certificate file "…"`. */
export function setCertificateFile(entity: Entity, file: string): TextEdit | null {
  const cert = entity.certificate;
  if (!cert || cert.file?.text === file) return null;
  const first = cert.property.values[0];
  if (!first) return null;
  return { start: first.start, end: cert.property.end, text: `file ${quote(file)}` };
}

/** A string literal of the topology language. */
export function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The `file` paths of a topology read from `fromDir`, rewritten for a copy that lives in
 * `toDir` (a path is relative to its topology's folder, spec §4.1). Absolute paths stay.
 */
export function rebaseFiles(analysis: Analysis, fromDir: string, toDir: string): string {
  if (resolve(fromDir) === resolve(toDir)) return analysis.text;
  const edits: TextEdit[] = [];
  for (const e of analysis.model.entities) {
    const v = e.kind === 'ca' ? e.props.get('file')?.values[0] : e.certificate?.file;
    if (!v || isAbsolute(v.text)) continue;
    edits.push({ start: v.start, end: v.end, text: quote(relative(toDir, resolve(fromDir, v.text)).split(sep).join('/')) });
  }
  return applyEdits(analysis.text, edits);
}
