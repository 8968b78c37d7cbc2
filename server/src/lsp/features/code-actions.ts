// Quick fixes: one `switch` on the rule id, reading the diagnostic's `data` (spec §5:
// "quick fixes exist where the fix is mechanical"). Plus fix-all actions for the
// fixes that stay correct when applied many at once.
import { CodeActionKind, type CodeAction, type Diagnostic as LspDiagnostic, type Range, type TextEdit } from 'vscode-languageserver';
import type { Diagnostic, RuleId } from '../../analysis/diagnostic.ts';
import type { Analysis } from '../../analysis/engine.ts';
import { toLspDiagnostic, toRange } from '../convert.ts';
import { addConnection, addProperty, addTrusts, disjoint, removeTrustEntry, type Edit } from './source-edits.ts';

interface Fix {
  title: string;
  edits: Edit[];
  preferred?: boolean;
}

/** Rules whose fixes may all be applied together. */
const FIX_ALL_RULES: ReadonlySet<RuleId> = new Set(['tls-to-db2', 'unknown-reference', 'untrusted-responder']);

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.sptls`;

export function codeActions(analysis: Analysis, uri: string, range: Range, diagnostics: LspDiagnostic[], only?: string[]): CodeAction[] {
  const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const actions: CodeAction[] = [];
  if (wants(CodeActionKind.QuickFix)) {
    const fixAllOffered = new Set<RuleId>();
    for (const { engine, lsp } of matchDiagnostics(analysis, range, diagnostics)) {
      for (const fix of fixesFor(analysis, engine)) {
        actions.push(action(analysis, uri, fix.title, CodeActionKind.QuickFix, fix.edits, [lsp], fix.preferred));
      }
      if (FIX_ALL_RULES.has(engine.code) && !fixAllOffered.has(engine.code)) {
        fixAllOffered.add(engine.code);
        const all = fixAllEdits(analysis, (d) => d.code === engine.code);
        if (all.count > 1) actions.push(action(analysis, uri, `Fix all ${engine.code} problems in this file`, CodeActionKind.QuickFix, all.edits));
      }
    }
  }
  if (wants(FIX_ALL_KIND)) {
    const all = fixAllEdits(analysis, (d) => FIX_ALL_RULES.has(d.code));
    if (all.count > 0) actions.push(action(analysis, uri, 'Fix all auto-fixable sptls problems', FIX_ALL_KIND, all.edits));
  }
  return actions;
}

/**
 * The engine diagnostics the request is about. The client's copies may be stale, so
 * each is matched to a current engine diagnostic (same rule, same start) whose data is
 * used. Clients that send no diagnostics get those overlapping the range.
 */
function matchDiagnostics(a: Analysis, range: Range, diagnostics: LspDiagnostic[]): Array<{ engine: Diagnostic; lsp: LspDiagnostic }> {
  if (diagnostics.length === 0) {
    const start = a.lines.offset(range.start);
    const end = a.lines.offset(range.end);
    return a.diagnostics.filter((d) => d.start <= end && d.end >= start).map((d) => ({ engine: d, lsp: toLspDiagnostic(d, a.lines) }));
  }
  const out: Array<{ engine: Diagnostic; lsp: LspDiagnostic }> = [];
  for (const lsp of diagnostics) {
    if ((lsp.source !== undefined && lsp.source !== 'sptls') || !lsp.range?.start) continue;
    const start = a.lines.offset(lsp.range.start);
    const engine = a.diagnostics.find((d) => d.code === lsp.code && d.start === start);
    if (engine) out.push({ engine, lsp });
  }
  return out;
}

function fixesFor(a: Analysis, d: Diagnostic): Fix[] {
  const data = d.data ?? {};
  switch (d.code) {
    case 'untrusted-responder': {
      const initiator = data.initiator ? a.model.byName.get(data.initiator) : undefined;
      const edit = initiator && data.trust ? addTrusts(a, initiator, [data.trust]) : null;
      return edit ? [{ title: `Add 'trusts ${data.trust}' to ${initiator!.name}`, edits: [edit], preferred: true }] : [];
    }
    case 'tls-to-db2': {
      const edit = markPlain(a, d.start);
      return edit ? [{ title: "Mark the Db2 connection 'plain'", edits: [edit], preferred: true }] : [];
    }
    case 'ldap-requires-tls': {
      const edit = removePlain(a, d.start);
      return edit ? [{ title: "Remove 'plain': LDAP sessions use TLS", edits: [edit], preferred: true }] : [];
    }
    case 'lan-free-needs-server': {
      const edit = data.plain !== undefined ? removePlain(a, data.plain) : null;
      return edit ? [{ title: "Remove 'plain': the LAN-free client's server session uses TLS", edits: [edit], preferred: true }] : [];
    }
    case 'connection-not-supported': {
      const c = connectionAt(a, d.start);
      if (!c?.to || !data.initiator || !data.responder) return [];
      return [{ title: `Reverse it: '${data.initiator} -> ${data.responder}'`, edits: [{ start: c.from.start, end: c.to.end, newText: `${data.initiator} -> ${data.responder}` }] }];
    }
    case 'validity-exceeds-issuer': {
      // The diagnostic sits on the declared `valid` amount; its unit follows it.
      const unit = /^\s*\d+\s+(?:days?|years?)\b/.exec(a.text.slice(d.start));
      return data.validity && unit ? [{ title: `Shorten it to 'valid ${data.validity}'`, edits: [{ start: d.start, end: d.start + unit[0].length, newText: data.validity }], preferred: true }] : [];
    }
    case 'ssl-port-required': {
      const port = a.model.links.find((l) => l.connection.from.start === d.start)?.props.get('port')?.values[0];
      return port && data.port ? [{ title: `Use the SSL port ${data.port}`, edits: [{ start: port.start, end: port.end, newText: data.port }], preferred: true }] : [];
    }
    case 'missing-certificate': {
      const decl = a.model.entities.find((e) => e.decl.name?.start === d.start)?.decl;
      if (!decl) return [];
      const fix = (title: string, text: string): Fix[] => {
        const edit = addProperty(a, decl, text);
        return edit ? [{ title, edits: [edit] }] : [];
      };
      return [
        ...(data.cas ?? []).flatMap((ca) => fix(`Declare a certificate signed by ${ca}`, `certificate signed-by ${ca}`)),
        ...fix('Declare a self-signed certificate', 'certificate self-signed'),
      ];
    }
    case 'unknown-reference':
      return data.suggestion
        ? [{ title: `Change to '${data.suggestion}'`, edits: [{ start: d.start, end: d.end, newText: data.suggestion }], preferred: true }]
        : [];
    case 'keydb-format': {
      const edit = data.replacement ? replaceExtension(a, d, data.replacement) : null;
      return edit ? [{ title: `Use "${data.replacement}"`, edits: [edit], preferred: true }] : [];
    }
    case 'unused-trust': {
      const edit = removeTrustEntry(a, d.start);
      return edit ? [{ title: `Remove the unused trust '${a.text.slice(d.start, d.end)}'`, edits: [edit] }] : [];
    }
    case 'hub-spoke': {
      if (data.plain !== undefined) {
        const edit = removePlain(a, data.plain);
        return edit ? [{ title: "Remove 'plain': the hub manages its spoke over TLS", edits: [edit], preferred: true }] : [];
      }
      return data.hub && data.spoke
        ? [{ title: `Add the connection '${data.hub} -> ${data.spoke}'`, edits: [addConnection(a, `${data.hub} -> ${data.spoke}`)], preferred: true }]
        : [];
    }
    default:
      return [];
  }
}

function connectionAt(a: Analysis, fromStart: number) {
  return a.model.links.find((l) => l.connection.from.start === fromStart)?.connection;
}

/** Drops the `plain` of the connection starting at `fromStart`: it becomes TLS, the default. */
function removePlain(a: Analysis, fromStart: number): Edit | null {
  const c = connectionAt(a, fromStart);
  if (!c?.to || c.protocol?.text !== 'plain') return null;
  return { start: c.to.end, end: c.protocol.end, newText: '' };
}

function markPlain(a: Analysis, fromStart: number): Edit | null {
  const c = connectionAt(a, fromStart);
  if (!c?.to) return null;
  if (c.protocol) return { start: c.protocol.start, end: c.protocol.end, newText: 'plain' };
  return { start: c.to.end, end: c.to.end, newText: ' plain' };
}

/** Swaps the file extension inside the string literal, leaving the rest of it (escapes included) as written. */
function replaceExtension(a: Analysis, d: Diagnostic, replacement: string): Edit | null {
  const raw = a.text.slice(d.start, d.end);
  const dot = raw.lastIndexOf('.');
  if (raw.length < 2 || !raw.endsWith('"') || dot < 0) return null;
  return { start: d.start + dot, end: d.end, newText: `${replacement.slice(replacement.lastIndexOf('.'))}"` };
}

/** Every safe fix of the chosen rules as one non-overlapping edit list; `count` is how many problems it fixes. */
function fixAllEdits(a: Analysis, pick: (d: Diagnostic) => boolean): { edits: Edit[]; count: number } {
  const edits: Edit[] = [];
  let count = 0;
  // Trusts are added per initiator at once: two edits at the end of one list would collide.
  const trustsByInitiator = new Map<string, Set<string>>();
  for (const d of a.diagnostics) {
    if (!pick(d)) continue;
    if (d.code === 'untrusted-responder') {
      if (!d.data?.initiator || !d.data.trust || !a.model.byName.has(d.data.initiator)) continue;
      const set = trustsByInitiator.get(d.data.initiator) ?? new Set();
      set.add(d.data.trust);
      trustsByInitiator.set(d.data.initiator, set);
      count++;
      continue;
    }
    const fix = fixesFor(a, d)[0];
    if (fix) { edits.push(...fix.edits); count++; }
  }
  for (const [initiator, names] of trustsByInitiator) {
    const edit = addTrusts(a, a.model.byName.get(initiator)!, [...names]);
    if (edit) edits.push(edit);
  }
  edits.sort((x, y) => x.start - y.start || x.end - y.end);
  return { edits: disjoint(edits), count };
}

function action(a: Analysis, uri: string, title: string, kind: string, edits: Edit[], diagnostics?: LspDiagnostic[], isPreferred?: boolean): CodeAction {
  const textEdits: TextEdit[] = edits.map((e) => ({ range: toRange(a.lines, e.start, e.end), newText: e.newText }));
  return {
    title,
    kind,
    edit: { changes: { [uri]: textEdits } },
    ...(diagnostics ? { diagnostics } : {}),
    ...(isPreferred ? { isPreferred } : {}),
  };
}
