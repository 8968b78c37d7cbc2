// The language features as VS Code itself delivers them from the installed VSIX:
// diagnostics, hover, completion, quick fix, rename and formatting, checked against
// examples/ and the formatter's fixtures.
/// <reference types="mocha" />
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { activatedExtension, diagnosticsWhen, e2eEnv, hoverText, lineOf, open, openCopy, positionOf, ruleOf, workspaceDir } from './helpers.ts';

interface CliDiagnostic {
  code: string;
  severity: string;
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

const SEVERITY: Record<number, string> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'information',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

/** What `sptls check` says about a file: the one engine the language server also runs. */
function cliDiagnostics(file: string): CliDiagnostic[] {
  let out: string;
  try {
    out = execFileSync(process.execPath, [join(e2eEnv().repoRoot, 'bin', 'sptls.cjs'), 'check', '--format', 'json', file], { encoding: 'utf8' });
  } catch (e) {
    out = (e as { stdout?: string }).stdout ?? ''; // exit 1 means "has errors", which broken.sptls has
  }
  return (JSON.parse(out) as { files: { diagnostics: CliDiagnostic[] }[] }).files[0]!.diagnostics;
}

function fromVscode(d: vscode.Diagnostic): CliDiagnostic {
  const { start, end } = d.range;
  return {
    code: ruleOf(d),
    severity: SEVERITY[d.severity]!,
    message: d.message,
    range: { start: { line: start.line, character: start.character }, end: { line: end.line, character: end.character } },
  };
}

const byPosition = (a: CliDiagnostic, b: CliDiagnostic) =>
  a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code) || a.message.localeCompare(b.message);

suite('sptls in a real VS Code (code-server extension host)', () => {
  let ext: vscode.Extension<unknown>;

  suiteSetup(async () => {
    ext = await activatedExtension();
  });

  test('the extension runs from the installed VSIX and is active', () => {
    assert.ok(ext.isActive);
    assert.ok(ext.extensionPath.startsWith(e2eEnv().extensionsDir + sep), `${ext.extensionPath} is not under ${e2eEnv().extensionsDir}`);
    const repoManifest = JSON.parse(readFileSync(join(e2eEnv().repoRoot, 'package.json'), 'utf8')) as { version: string };
    assert.equal((ext.packageJSON as { version: string }).version, repoManifest.version);
  });

  test('examples/broken.sptls: the diagnostics (rule ids, ranges, severities) are those of sptls check', async () => {
    const doc = await open('broken.sptls');
    assert.equal(doc.languageId, 'sptls');
    const expected = cliDiagnostics(doc.uri.fsPath).sort(byPosition);
    assert.ok(expected.length > 20, `sptls check found only ${expected.length} diagnostics in broken.sptls`);
    const got = await diagnosticsWhen(doc.uri, (d) => d.length === expected.length, `${expected.length} entries`);
    assert.deepEqual(got.map(fromVscode).sort(byPosition), expected);
    const untrusted = got.filter((d) => ruleOf(d) === 'untrusted-responder').map((d) => d.range.start.line);
    assert.ok(untrusted.includes(lineOf(doc, 'NODE1 -> SP1')), `untrusted-responder on NODE1 -> SP1 (lines ${untrusted.join(', ')})`);
  });

  test('hover on a component shows its role, certificate chain and trust', async () => {
    const doc = await open('broken.sptls');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, 'server SP1', 'server '.length + 1));
    const text = hoverText(hovers);
    assert.match(text, /\*\*server SP1\*\*/);
    assert.match(text, /signed by `CorpIssuing`/);
    assert.match(text, /Trusts: `CorpRoot`/);
  });

  test('hover on a connection shows who verifies whom and the trust verdict', async () => {
    const doc = await open('broken.sptls');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, 'NODE1 -> SP1', 'NODE1 '.length));
    const text = hoverText(hovers);
    assert.match(text, /\*\*NODE1 -> SP1\*\* · TLS/);
    assert.match(text, /Not trusted/);
    assert.match(text, /CorpRoot/);
  });

  test('completion after `trusts` offers what holds a certificate, not what does not', async () => {
    const doc = await open('broken.sptls');
    const at = positionOf(doc, 'client NODE1 { trusts ', 'client NODE1 { trusts '.length);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, at);
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const want of ['CorpRoot', 'CorpIssuing', 'SP1', 'SP2']) assert.ok(labels.includes(want), `${want} in ${labels.join(', ')}`);
    // a db2 instance and a client hold no certificate; `trusts` takes names, not property keywords
    for (const not of ['SP1DB', 'NODE2', 'address']) assert.ok(!labels.includes(not), `${not} not in ${labels.join(', ')}`);
  });

  test('the untrusted-responder quick fix adds the missing trust and the diagnostic goes away', async () => {
    const doc = await openCopy('broken.sptls', 'quickfix.sptls');
    const isTarget = (d: vscode.Diagnostic) => ruleOf(d) === 'untrusted-responder' && d.range.start.line === lineOf(doc, 'NODE1 -> SP1');
    const before = await diagnosticsWhen(doc.uri, (ds) => ds.some(isTarget), 'untrusted-responder on NODE1 -> SP1');
    const target = before.find(isTarget)!;
    const [, trust, initiator] = /Add '(trusts \w+)' to (\w+)/.exec(target.message) ?? [];
    assert.ok(trust && initiator, `the diagnostic names its fix: ${target.message}`);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, target.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === `Add '${trust}' to ${initiator}`);
    assert.ok(fix?.edit, `a quick fix "Add '${trust}' to ${initiator}" among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    const untrustedBefore = before.filter((d) => ruleOf(d) === 'untrusted-responder').length;
    const after = await diagnosticsWhen(doc.uri, (ds) => !ds.some(isTarget) && ds.length > 0, 'the NODE1 -> SP1 finding gone');
    assert.equal(after.filter((d) => ruleOf(d) === 'untrusted-responder').length, untrustedBefore - 1);
    assert.match(doc.lineAt(lineOf(doc, 'client NODE1 {')).text, new RegExp(trust.split(' ')[1]!));
  });

  test('renaming a component changes every reference in the file, and nothing else', async () => {
    const doc = await openCopy('broken.sptls', 'rename.sptls');
    await diagnosticsWhen(doc.uri, (ds) => ds.length > 0, 'any entry');
    const original = doc.getText();
    const codeOnly = original.split('\n').map((l) => l.replace(/#.*$/, ''));
    const expectedLines = codeOnly.flatMap((l, i) => (l.match(/\bSP2\b/g) ?? []).map(() => i));
    assert.ok(expectedLines.length >= 4, `SP2 is used ${expectedLines.length} times`);
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', doc.uri, positionOf(doc, 'server SP2', 'server '.length), 'BACKUP2');
    const edits = edit.get(doc.uri);
    assert.deepEqual(edits.map((e) => e.range.start.line).sort((a, b) => a - b), expectedLines);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const text = doc.getText();
    assert.equal(text.replace(/\bBACKUP2\b/g, 'SP2'), original, 'only the name changed');
    assert.ok(text.split('\n').every((l) => !/\bSP2\b/.test(l.replace(/#.*$/, ''))), 'no SP2 left outside comments');
    const after = await diagnosticsWhen(doc.uri, (ds) => ds.some((d) => d.message.includes('BACKUP2')), 'the new name');
    assert.ok(!after.some((d) => ruleOf(d) === 'unknown-reference' && d.message.includes('BACKUP2')), 'no reference left dangling');
  });

  test('formatting the document gives the canonical layout (formatter fixture)', async () => {
    const doc = await open('messy.sptls');
    const expected = readFileSync(join(workspaceDir(), 'messy.formatted.sptls'), 'utf8');
    assert.notEqual(doc.getText(), expected);
    const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', doc.uri, { tabSize: 2, insertSpaces: true });
    assert.ok(edits && edits.length > 0, 'the formatter proposes edits');
    const workspaceEdit = new vscode.WorkspaceEdit();
    workspaceEdit.set(doc.uri, edits);
    assert.ok(await vscode.workspace.applyEdit(workspaceEdit));
    assert.equal(doc.getText(), expected);
  });
});
