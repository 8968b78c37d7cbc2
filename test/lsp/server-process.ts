// Drives the bundled language server as a separate process over stdio, the way an
// editor does: JSON-RPC with vscode-jsonrpc, no code shared with the server.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver';

export const ROOT = join(import.meta.dirname, '..', '..');
export const SERVER = join(ROOT, 'dist', 'server.cjs');

function newestSource(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestSource(p) : st.mtimeMs);
  }
  return newest;
}

/** Rebuilds dist/ when any source is newer than the server bundle. */
export function ensureBuilt(): void {
  let built = 0;
  try { built = statSync(SERVER).mtimeMs; } catch { /* not built yet */ }
  const sources = Math.max(...['grammar/src', 'protocol', 'server/src', 'client/src'].map((d) => newestSource(join(ROOT, d))));
  if (built > sources) return;
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stderr}`);
}

export interface ServerProcess {
  conn: MessageConnection;
  child: ChildProcess;
  stderr(): string;
  /** Resolves with the first publication for `uri` (from now on) that satisfies `until`. */
  diagnostics(uri: string, until?: (p: PublishDiagnosticsParams) => boolean, timeoutMs?: number): Promise<PublishDiagnosticsParams>;
  /** Every publication received so far. */
  published: PublishDiagnosticsParams[];
  /** window/logMessage texts: where the server reports a handler that failed. */
  logs: string[];
  /** Resolves with the exit code once the process is gone. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export function startServerProcess(args: string[] = [SERVER, '--stdio'], settings: Record<string, unknown> = { diagnosticsDelay: 0 }): ServerProcess {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const conn = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const published: PublishDiagnosticsParams[] = [];
  const waiters: Array<{ uri: string; until: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }> = [];
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.push(p);
    for (const w of [...waiters]) {
      if (w.uri === p.uri && w.until(p)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(p); }
    }
  });
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => settings));
  const logs: string[] = [];
  conn.onNotification('window/logMessage', (p: { message: string }) => { logs.push(p.message); });
  conn.onError(() => {});
  conn.listen();
  return {
    conn, child, published, logs, exited,
    stderr: () => stderr,
    diagnostics(uri, until = () => true, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
        waiters.push({ uri, until, resolve: (p) => { clearTimeout(timer); resolve(p); } });
      });
    },
    async stop() {
      if (child.exitCode === null) {
        try {
          await Promise.race([conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
          await conn.sendNotification('exit');
        } catch { /* already gone */ }
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
      conn.dispose();
    },
  };
}

export const CLIENT_CAPABILITIES = {
  workspace: { configuration: true, workspaceEdit: { documentChanges: false } },
  textDocument: {
    completion: { completionItem: { snippetSupport: true } },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    publishDiagnostics: { versionSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } },
    rename: { prepareSupport: true },
  },
};

export async function initialize(server: ServerProcess, rootUri: string | null = null): Promise<{ capabilities: Record<string, unknown> }> {
  const result = await server.conn.sendRequest('initialize', {
    processId: process.pid, rootUri, capabilities: CLIENT_CAPABILITIES, initializationOptions: { diagnosticsDelay: 0 },
  }) as { capabilities: Record<string, unknown> };
  await server.conn.sendNotification('initialized', {});
  return result;
}

/** Every file below `root`, relative to it, sorted (none when it does not exist): what a command wrote. */
export function filesUnder(root: string): string[] {
  if (!existsSync(root)) return [];
  const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [relative(root, join(d, n))]));
  return walk(root).sort();
}
