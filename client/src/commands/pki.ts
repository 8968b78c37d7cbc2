// VS Code commands over the PKI module: issue certificates, build key databases, inspect a
// key database. They run the same code as `sptls issue|keydb|inspect` in the extension host,
// only in a trusted workspace, with cancellable progress, and report to the output channel.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { toText as formatInspectReport } from '../../../server/src/cli/commands/inspect.ts';
import { inspectFile, pkcs12PasswordFiles, type PasswordSource } from '../../../server/src/pki/inspect/inspect-file.ts';
import { MANIFEST_FILE } from '../../../server/src/pki/issue/layout.ts';
import { formatPlan, resultNotes, runIssue, summarize, type IssueRequest } from '../../../server/src/pki/issue/run.ts';
import { formatKeydbOutcome, KEYDB_DIR, runKeydb } from '../../../server/src/pki/provision/run.ts';
import { looksLikePkcs12 } from '../../../server/src/pki/keydb/pkcs12/read.ts';
import { requireTrust } from '../trust.ts';
import { boundedFileReader as reader } from '../../../server/src/workspace/bounded-read.ts';

const ISSUE = 'sptls: Issue certificates';
const KEYDB = 'sptls: Build key databases';
const INSPECT = 'sptls: Inspect key database';

export function registerPkiCommands(context: vscode.ExtensionContext, output: vscode.OutputChannel): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('sptls.issueCertificates', (uri?: vscode.Uri) => issue(uri, output)),
    vscode.commands.registerCommand('sptls.buildKeyDatabases', (uri?: vscode.Uri) => keydb(uri, output)),
    vscode.commands.registerCommand('sptls.inspectKeyDatabase', (uri?: vscode.Uri) => inspect(uri, output)),
  );
}

/** The topology to work on: the explorer's file, else the active .sptls editor. Unsaved edits count. */
async function topology(uri: vscode.Uri | undefined): Promise<{ path: string; text: string } | undefined> {
  const target = uri ?? (vscode.window.activeTextEditor?.document.languageId === 'sptls' ? vscode.window.activeTextEditor.document.uri : undefined);
  if (!target || target.scheme !== 'file') {
    void vscode.window.showErrorMessage('sptls: open a saved .sptls topology file first (or pick one in the explorer).');
    return undefined;
  }
  const doc = await vscode.workspace.openTextDocument(target);
  return { path: target.fsPath, text: doc.getText() };
}

function progress<T>(title: string, task: (token: vscode.CancellationToken, report: (message: string) => void) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (p, token) => task(token, (message) => p.report({ message })));
}

async function issue(uri: vscode.Uri | undefined, output: vscode.OutputChannel): Promise<void> {
  if (!requireTrust(ISSUE)) return;
  const t = await topology(uri);
  if (!t) return;
  const request: IssueRequest = { topologyPath: t.path, text: t.text };
  await progress(ISSUE, async (token, report) => {
    report('planning');
    output.appendLine(`sptls issue ${t.path}`);
    // Plan first, so a cancel before the writes leaves the directory as it was.
    const plan = await runIssue({ ...request, dryRun: true });
    if (plan.kind === 'refused') return refused(output, plan.problems, 'not issuing anything');
    if (token.isCancellationRequested) { output.appendLine('cancelled before anything was written'); return; }
    report('generating keys and signing');
    const done = await runIssue(request);
    if (done.kind !== 'done') return refused(output, done.kind === 'refused' ? done.problems : [], 'not issuing anything');
    output.appendLine(formatPlan(done.actions, done.notIssued, false).trimEnd());
    for (const n of resultNotes(done.result)) output.appendLine(n);
    for (const b of done.result.backups) output.appendLine(`backup kept: ${b}`);
    for (const e of done.result.errors) output.appendLine(`error: ${e}`);
    output.appendLine(`${summarize(done.actions)}; ${done.result.written.length} file(s) written in ${done.outDir}`);
    output.show(true);
    const manifest = vscode.Uri.file(join(done.outDir, MANIFEST_FILE));
    if (done.result.written.length > 0) {
      await vscode.window.showTextDocument(manifest, { preview: true, preserveFocus: true });
      await vscode.commands.executeCommand('revealInExplorer', manifest);
    }
    if (!done.result.ok) void vscode.window.showErrorMessage(`sptls: some certificates could not be issued; see the sptls output.`);
  });
}

async function keydb(uri: vscode.Uri | undefined, output: vscode.OutputChannel): Promise<void> {
  if (!requireTrust(KEYDB)) return;
  const t = await topology(uri);
  if (!t) return;
  await progress(KEYDB, async (token, report) => {
    if (token.isCancellationRequested) return;
    report('building key databases');
    output.appendLine(`sptls keydb ${t.path}`);
    const outcome = await runKeydb({ topologyPath: t.path, text: t.text });
    if (outcome.kind === 'refused') return refused(output, outcome.problems, 'not building anything');
    output.appendLine(formatKeydbOutcome(outcome.components).trimEnd());
    output.show(true);
    const failed = outcome.components.filter((c) => c.problem).length;
    if (failed) void vscode.window.showWarningMessage(`sptls: ${failed} key database folder(s) not built; see the sptls output.`);
    await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(join(outcome.pkiDir, KEYDB_DIR)));
  });
}

const INSPECTABLE = ['.kdb', '.p12', '.pfx', '.arm', '.pem', '.crt', '.cer', '.der'];

async function inspect(uri: vscode.Uri | undefined, output: vscode.OutputChannel): Promise<void> {
  if (!requireTrust(INSPECT)) return;
  let target = uri;
  if (!target) {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'Key databases and certificates': INSPECTABLE.map((x) => x.slice(1)) } });
    target = picked?.[0];
  }
  if (!target) return;
  const path = target.fsPath;
  const source: PasswordSource = {};
  const read = await reader.read(path, 'key-store');
  // A PKCS#12 without a password file beside it: ask, never store.
  if (read.ok && looksLikePkcs12(read.bytes) && !(await anyExists(pkcs12PasswordFiles(path)))) {
    const value = await vscode.window.showInputBox({ title: INSPECT, prompt: `Password of ${path}`, password: true, ignoreFocusOut: true });
    if (value === undefined) return;
    source.password = { value, from: 'the password prompt' };
  }
  await progress(INSPECT, async (token) => {
    const r = await inspectFile(path, source, reader);
    if (token.isCancellationRequested) return;
    output.appendLine(r.ok ? formatInspectReport(r.report).trimEnd() : `sptls inspect: ${r.failure.message}`);
    output.show(true);
    if (!r.ok) void vscode.window.showErrorMessage(`sptls: ${r.failure.message}`);
  });
}

async function anyExists(paths: string[]): Promise<boolean> {
  for (const p of paths) if ((await reader.read(p, 'password')).ok) return true;
  return false;
}

function refused(output: vscode.OutputChannel, problems: string[], what: string): void {
  output.appendLine(`${what}; fix these first:`);
  for (const p of problems) output.appendLine(`  ${p}`);
  output.show(true);
  void vscode.window.showErrorMessage(`sptls: ${what}: ${problems[0] ?? 'see the sptls output'}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}`);
}
