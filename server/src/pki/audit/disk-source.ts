// Key databases collected from hosts into one directory, named after components:
//   DIR/<Name>/<file>     the file the topology names (cert.kdb, dsmcert.kdb, gui-truststore.p12,
//                         truststore.p12 or the declared keydb), with its .sth / .pw beside it
//   DIR/<Name>/*.kdb|.p12 any single key database in the component's folder
//   DIR/<Name>.kdb|.p12   flat layout (stash DIR/<Name>.sth, password DIR/<Name>.p12.pw)
// Passwords come from the stash or .pw file beside the database, as for `sptls inspect`.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { boundedFileReader } from '../../workspace/bounded-read.ts';
import { inspectFile } from '../inspect/inspect-file.ts';
import type { KeyDbLookup, KeyDbRequest, KeyDbSource } from './audit.ts';

const KEYDB_EXTENSIONS = ['.kdb', '.p12', '.pfx'];

export class DiskKeyDbSource implements KeyDbSource {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  async open(request: KeyDbRequest): Promise<KeyDbLookup> {
    const path = this.locate(request);
    if (!path) return { kind: 'missing' };
    const r = await inspectFile(path, {}, boundedFileReader);
    if (!r.ok) return { kind: 'unreadable', file: path, message: r.failure.message.replace(`${path}: `, '') };
    return { kind: 'ok', file: path, entries: r.report.entries };
  }

  private locate({ name, dbFile }: KeyDbRequest): string | undefined {
    const folder = join(this.dir, name);
    if (isDir(folder)) {
      const named = join(folder, dbFile);
      if (existsSync(named)) return named;
      const any = readdirSync(folder).sort().filter((f) => KEYDB_EXTENSIONS.some((x) => f.toLowerCase().endsWith(x)));
      return any.length > 0 ? join(folder, any[0]!) : undefined;
    }
    return KEYDB_EXTENSIONS.map((x) => join(this.dir, `${name}${x}`)).find((p) => existsSync(p));
  }
}

function isDir(path: string): boolean {
  try { return statSync(path).isDirectory(); } catch { return false; }
}
