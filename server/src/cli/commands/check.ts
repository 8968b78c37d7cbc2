// `sptls check FILE|DIR... [--format text|json] [--now ISO-DATE]` (spec §6).
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { analyze } from '../../analysis/engine.ts';
import type { Diagnostic } from '../../analysis/diagnostic.ts';
import type { LineIndex } from '../../analysis/positions.ts';
import { auditKeyDbs } from '../../pki/audit/audit.ts';
import { DiskKeyDbSource } from '../../pki/audit/disk-source.ts';
import { defaultPkiDir } from '../../workspace/topology.ts';
import { loadIssuedPki } from '../../pki/provision/issued.ts';
import { DiskCertificateFiles } from '../../workspace/disk-certificates.ts';
import type { FileFindings } from '../../ci/findings.ts';
import { isCiFormat, renderCi } from '../ci-format.ts';
import { readTopologyFile } from '../topology-input.ts';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, flag, parseArgs, UsageError, type CliIO, type Command } from '../io.ts';

const help = `Usage: sptls check FILE|DIR... [--format text|json|sarif|github] [--now ISO-DATE] [--keydbs DIR]

Checks .sptls topology files and prints every diagnostic.
A directory means every .sptls file under it, recursively (node_modules and .git skipped).

Options:
  --format FORMAT     text (default): path:line:col: severity rule-id: message (1-based)
                      json: {"files":[{"path","diagnostics":[{code,severity,message,range}]}]},
                      0-based positions as in LSP
                      sarif: a SARIF 2.1.0 log for code scanning (docs/ci.md)
                      github: GitHub Actions annotations (::error file=…,line=…::message)
  --now ISO-DATE      evaluate certificate validity at this instant (2026-01-31 or
                      2026-01-31T12:00:00Z; a date alone is 00:00 UTC), for reproducible runs
  --keydbs DIR        also audit key databases collected from the hosts: DIR/<Name>/cert.kdb
                      (+ .sth), DIR/<Name>/dsmcert.kdb, DIR/<Name>/gui-truststore.p12 (+ .pw),
                      … or DIR/<Name>.kdb|.p12; compared with the issued PKI (pki/ beside each
                      file) and 'file' certificates. Rules keydb-missing-trust,
                      keydb-certificate-mismatch, keydb-unreadable

The text form ends with a count of errors, warnings and hints on stderr.

Exit status: 0 no errors, 1 at least one error-severity diagnostic, 2 usage or I/O error
(a file that cannot be read, or no .sptls file found at all).
`;

export function parseNow(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(d.getTime())) throw new UsageError(`--now '${text}' is not an ISO date (e.g. 2026-01-31 or 2026-01-31T12:00:00Z)`);
  return d;
}

function collect(target: string, cwd: string, out: string[]): void {
  const full = resolve(cwd, target);
  const st = statSync(full);
  if (!st.isDirectory()) { out.push(target); return; }
  for (const name of readdirSync(full).sort()) {
    if (name === 'node_modules' || name === '.git') continue;
    const child = join(target, name);
    const cst = statSync(resolve(cwd, child));
    if (cst.isDirectory()) collect(child, cwd, out);
    else if (name.endsWith('.sptls')) out.push(child);
  }
}

function isDirectory(path: string): boolean {
  try { return statSync(path).isDirectory(); } catch { return false; }
}

function jsonDiagnostic(d: Diagnostic, lines: LineIndex) {
  return { code: d.code, severity: d.severity, message: d.message, range: { start: lines.position(d.start), end: lines.position(d.end) } };
}

export const checkCommand: Command = {
  help,
  async run(args: string[], io: CliIO): Promise<number> {
    const parsed = parseArgs(args, { format: 'string', now: 'string', keydbs: 'string' });
    const format = flag(parsed, 'format') ?? 'text';
    if (!isCiFormat(format) && format !== 'text' && format !== 'json') throw new UsageError(`--format must be text, json, sarif or github, not '${format}'`);
    const now = parseNow(flag(parsed, 'now'));
    const keydbs = flag(parsed, 'keydbs');
    const keyDbSource = keydbs === undefined ? undefined : new DiskKeyDbSource(resolve(io.cwd, keydbs));
    if (keydbs !== undefined && !isDirectory(resolve(io.cwd, keydbs))) throw new UsageError(`--keydbs ${keydbs} is not a directory`);
    if (parsed.positional.length === 0) throw new UsageError('name at least one .sptls file or directory');

    let ioError = false;
    const files: string[] = [];
    for (const target of parsed.positional) {
      try {
        const before = files.length;
        collect(target, io.cwd, files);
        if (files.length === before) io.err(`sptls check: ${target}: no .sptls files in this directory or below it\n`);
      } catch (e) {
        io.err(`sptls check: ${target}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}\n`);
        ioError = true;
      }
    }
    // Nothing to check is not a clean bill of health.
    if (files.length === 0) ioError = true;
    let errors = 0;
    let warnings = 0;
    let hints = 0;
    const report: Array<{ path: string; diagnostics: ReturnType<typeof jsonDiagnostic>[] }> = [];
    const ci: FileFindings[] = [];
    for (const path of files) {
      const input = readTopologyFile(path, io, 'check');
      if (!input) { ioError = true; continue; }
      const full = input.path;
      const analysis = analyze(input.text, { certificateFiles: new DiskCertificateFiles(dirname(full)), now: now ?? new Date() });
      let found = analysis.diagnostics;
      if (keyDbSource) {
        const pki = loadIssuedPki(defaultPkiDir(full));
        const audit = await auditKeyDbs(analysis, keyDbSource, pki.ok ? pki.issued : undefined);
        found = [...found, ...audit.diagnostics].sort((a, b) => a.start - b.start || a.end - b.end);
        if (audit.missing.length) io.err(`${path}: no key database in ${keydbs} for ${audit.missing.join(', ')}\n`);
      }
      const diagnostics = found.map((d) => jsonDiagnostic(d, analysis.lines));
      for (const d of diagnostics) {
        if (d.severity === 'error') errors++;
        else if (d.severity === 'warning') warnings++;
        else hints++;
        if (format === 'text') io.out(`${path}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code}: ${d.message}\n`);
      }
      report.push({ path, diagnostics });
      ci.push({ path, lines: analysis.lines, diagnostics: found });
    }
    if (format === 'json') io.out(`${JSON.stringify({ files: report })}\n`);
    if (isCiFormat(format)) io.out(renderCi(format, ci, 'check'));
    if (ioError) return EXIT_USAGE;
    if (format === 'text') io.err(`${files.length} file(s) checked: ${errors} error(s), ${warnings} warning(s), ${hints} hint(s)\n`);
    return errors > 0 ? EXIT_FINDINGS : EXIT_OK;
  },
};
