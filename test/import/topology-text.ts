// Reads back what `sptls import` wrote, for assertions: declarations with their property lines
// (comments dropped) and connections, from the canonical one-statement-per-line layout it writes.

export interface Declared { kind: string; name: string; props: string[] }
export interface Connected { from: string; to: string; tls: boolean; port?: number }

const code = (line: string) => line.replace(/\s+#.*$/, '').replace(/^\s*#.*$/, '').trim();

export function readBack(text: string): { decls: Map<string, Declared>; conns: Connected[] } {
  const decls = new Map<string, Declared>();
  const conns: Connected[] = [];
  let open: Declared | undefined;
  for (const raw of text.split('\n')) {
    const line = code(raw);
    if (line === '') continue;
    if (open) {
      if (line === '}') open = undefined;
      else open.props.push(line);
      continue;
    }
    const one = /^(ca|server|client|storage-agent|operations-center|ldap|db2) (\S+) \{ (.*) \}$/.exec(line);
    if (one) { decls.set(one[2]!, { kind: one[1]!, name: one[2]!, props: [one[3]!] }); continue; }
    const d = /^(ca|server|client|storage-agent|operations-center|ldap|db2) (\S+) \{$/.exec(line);
    if (d) { open = { kind: d[1]!, name: d[2]!, props: [] }; decls.set(d[2]!, open); continue; }
    const c = /^(\S+) -> (\S+)( plain)?(?: \{ port (\d+) \})?$/.exec(line);
    if (c) { conns.push({ from: c[1]!, to: c[2]!, tls: !c[3], port: c[4] ? Number(c[4]) : undefined }); continue; }
    throw new Error(`unexpected line in the imported topology: ${raw}`);
  }
  return { decls, conns };
}

export const connText = (c: Connected) => `${c.from} -> ${c.to}${c.tls ? '' : ' plain'}${c.port ? ` port ${c.port}` : ''}`;
