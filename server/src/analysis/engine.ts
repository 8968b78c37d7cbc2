// The engine: text in, model and diagnostics out. The CLI and the language server
// both call `analyze`; nothing here touches the file system or the clock except
// through the options.
import { parse, type ParseOptions, type ParseResult } from '../../../grammar/src/index.ts';
import { Chains } from './chains.ts';
import type { CertificateFiles } from './certificate-files.ts';
import { RULES, type Diagnostic, type Report } from './diagnostic.ts';
import { buildModel, type Model } from './model.ts';
import { LineIndex } from './positions.ts';
import type { Rule } from './rules/context.ts';
import { RULE_CHECKS, RULE_READS } from './rules/index.ts';
import { applySuppressions, findSuppressions } from './suppression.ts';
import { POLICY } from './policy.ts';

export interface AnalysisOptions {
  certificateFiles: CertificateFiles;
  /** The instant validity rules use. Required: analysis reads no clock; the caller (CLI, server) supplies it at the edge. */
  now: Date;
  expiryWarningDays?: number;
  /** Passed to the parser (the fuzz tests make its crashes throw). */
  parse?: ParseOptions;
}

export interface Analysis {
  text: string;
  lines: LineIndex;
  parse: ParseResult;
  model: Model;
  chains: Chains;
  diagnostics: Diagnostic[];
}

export function analyze(text: string, options: AnalysisOptions): Analysis {
  return analyzeParsed(text, parse(text, options.parse), options);
}

/**
 * Diagnostics of the rules in RULE_READS kept from an earlier analysis of the same document
 * (the incremental layer holds them and says when they still stand).
 */
export interface RuleMemo {
  get(rule: Rule): readonly Diagnostic[] | undefined;
  set(rule: Rule, diagnostics: readonly Diagnostic[]): void;
}

/** The analysis of a text whose parse is at hand (the incremental layer splices it from the last one). */
export function analyzeParsed(text: string, parsed: ParseResult, options: AnalysisOptions, memo?: RuleMemo): Analysis {
  const lines = new LineIndex(text);
  const model = buildModel(parsed.ast);
  const chains = new Chains(model, options.certificateFiles);
  const diagnostics: Diagnostic[] = parsed.errors.map((e) => ({ code: 'syntax', severity: 'error', message: e.message, start: e.start, end: e.end }));
  let out = diagnostics;
  const report: Report = (code, span, message, data) => {
    out.push({ code, severity: RULES[code], message, start: span.start, end: span.end, ...(data ? { data } : {}) });
  };
  const ctx = { model, chains, report, now: options.now, expiryWarningDays: options.expiryWarningDays ?? POLICY.expiryWarningDays };
  for (const check of RULE_CHECKS) {
    if (!memo || !RULE_READS.has(check)) { check(ctx); continue; }
    let kept = memo.get(check);
    if (!kept) {
      out = [];
      check(ctx);
      memo.set(check, (kept = out));
      out = diagnostics;
    }
    for (const d of kept) diagnostics.push(d);
  }
  diagnostics.sort((a, b) => a.start - b.start || a.end - b.end);
  return { text, lines, parse: parsed, model, chains, diagnostics: applySuppressions(diagnostics, findSuppressions(parsed.ast, text, lines)) };
}
