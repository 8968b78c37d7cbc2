// `sptls keydb` from topology text to files: analyze, load the issued PKI, assemble each
// component's folder (component-files.ts) and write it safely. Shared by the CLI and VS Code.
import { createPrivateKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { FileSink } from '../fs/file-sink.ts';
import { KEY_FILE_MODE, PUBLIC_FILE_MODE, writeFileSafely } from '../fs/safe-write.ts';
import { analyzeTopology, defaultPkiDir } from '../../workspace/topology.ts';
import { fileSafe, pkiBlockingDiagnostics } from '../issue/spec.ts';
import { randomPassword } from '../keydb/passwords.ts';
import { componentFiles, type BuildContext } from './component-files.ts';
import { printable } from './escape.ts';
import { ExpectedContents, keyDbComponents } from './expected.ts';
import { loadIssuedPki } from './issued.ts';
import { readBoundedFile } from '../../workspace/bounded-read.ts';

export interface KeydbRequest {
  topologyPath: string;
  text: string;
  /** The directory `sptls issue` wrote (default pki/ beside the topology); output goes to its keydb/. */
  pkiDir?: string;
  only?: string[];
  nativeKdb?: boolean;
  force?: boolean;
  /** One password for every key store, instead of a random one per store in FILE.pw. */
  password?: { env: string; value: string };
  sink?: FileSink;
  now?: Date;
}

export interface ComponentOutcome {
  name: string;
  kind: string;
  /** Relative to the PKI directory. */
  dir: string;
  written: string[];
  backups: string[];
  notes: string[];
  /** Why the folder was not (fully) written. */
  problem?: string;
}

export type KeydbOutcome =
  | { kind: 'refused'; problems: string[] }
  | { kind: 'done'; pkiDir: string; components: ComponentOutcome[] };

export const KEYDB_DIR = 'keydb';

export async function runKeydb(req: KeydbRequest): Promise<KeydbOutcome> {
  const analysis = analyzeTopology(req.topologyPath, req.text, req.now);
  const blocking = pkiBlockingDiagnostics(analysis).map((d) => {
    const p = analysis.lines.position(d.start);
    return `${req.topologyPath}:${p.line + 1}:${p.character + 1}: ${d.code}: ${d.message}`;
  });
  if (blocking.length) return { kind: 'refused', problems: blocking };
  // The name goes into both scripts as ${VAR} and !VAR!: an environment variable name, nothing else.
  if (req.password && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(req.password.env)) {
    return { kind: 'refused', problems: [`--password-env ${printable(req.password.env)}: an environment variable name is letters, digits and '_' (not starting with a digit)`] };
  }
  const pkiDir = req.pkiDir ?? defaultPkiDir(req.topologyPath);
  const loaded = loadIssuedPki(pkiDir);
  if (!loaded.ok) return { kind: 'refused', problems: [loaded.message] };
  const components = keyDbComponents(analysis);
  const unknown = (req.only ?? []).filter((n) => !components.some((c) => c.name === n));
  if (unknown.length) return { kind: 'refused', problems: unknown.map((n) => `--only ${n}: no server, storage agent, client, operations center or reporting agent of that name in ${req.topologyPath}`) };

  const ctx: BuildContext = {
    analysis,
    expected: new ExpectedContents(analysis, loaded.issued),
    issued: loaded.issued,
    topologyName: basename(req.topologyPath),
    password: () => req.password?.value ?? randomPassword(),
    ...(req.password ? { passwordEnv: req.password.env } : {}),
    nativeKdb: req.nativeKdb ?? false,
    readKey: (path) => {
      const file = readBoundedFile(path, { kind: 'certificate' });
      if (!file.ok) throw new Error(`${path}: ${file.reason}`);
      return createPrivateKey(file.bytes);
    },
  };
  const outcomes: ComponentOutcome[] = [];
  for (const e of components) {
    if (req.only?.length && !req.only.includes(e.name)) continue;
    const dir = join(KEYDB_DIR, fileSafe(e.name));
    const out: ComponentOutcome = { name: e.name, kind: e.kind, dir, written: [], backups: [], notes: [] };
    outcomes.push(out);
    let built;
    try {
      built = componentFiles(e, ctx);
    } catch (err) {
      out.problem = (err as Error).message;
      continue;
    }
    out.notes.push(...built.notes);
    if (built.problem) { out.problem = built.problem; continue; }
    const abs = join(pkiDir, dir);
    const present = built.files.filter((f) => f.secret && existsSync(join(abs, f.name))).map((f) => f.name);
    if (present.length && !req.force) {
      out.problem = `already built (${present.join(', ')} exist): --force rebuilds it and keeps dated backups`;
      continue;
    }
    await mkdir(abs, { recursive: true, mode: 0o700 });
    for (const f of built.files) {
      const r = await writeFileSafely(join(abs, f.name), f.data, {
        mode: f.secret ? KEY_FILE_MODE : f.executable ? 0o755 : PUBLIC_FILE_MODE,
        existing: f.secret ? 'backup' : 'replace',
        ...(req.sink ? { sink: req.sink } : {}),
        ...(req.now ? { now: req.now } : {}),
      });
      if (!r.ok) { out.problem = r.error.message; break; }
      out.written.push(f.name);
      if (r.backup) out.backups.push(r.backup);
    }
  }
  return { kind: 'done', pkiDir, components: outcomes };
}

export function formatKeydbOutcome(components: ComponentOutcome[]): string {
  const lines: string[] = [];
  for (const c of components) {
    lines.push(`${c.kind} ${c.name} → ${c.dir}/${c.problem ? `: NOT BUILT: ${c.problem}` : ''}`);
    for (const n of c.notes) lines.push(`  ${n}`);
    if (c.written.length) lines.push(`  wrote ${c.written.join(', ')}`);
    for (const b of c.backups) lines.push(`  backup kept: ${b}`);
  }
  return lines.join('\n') + '\n';
}
