// The layer map of docs/ARCHITECTURE.md as data, and the checker that holds a source
// tree to it. test/architecture.test.ts runs it on the repository and on small trees
// that break one rule each, so every rule is seen to fail.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const CODEC = ['server/src/codec/asn1', 'server/src/codec/x509'];
const BELOW_COMMANDS = ['grammar/src', ...CODEC, 'server/src/analysis', 'server/src/workspace', 'server/src/pki'];

/**
 * Each unit (a folder; the longest match wins) and the units it may import. A folder under
 * server/src that is not here is an error: a new folder takes its place in the map.
 */
export const LAYERS: Readonly<Record<string, readonly string[]>> = {
  // The wire contract: types and constants only, shared by the server and every client.
  'protocol': [],
  'grammar/src': [],
  // Certificate codecs: bytes in, facts out (analysis reads certificate files with them).
  'server/src/codec/asn1': [],
  'server/src/codec/x509': ['server/src/codec/asn1'],
  'server/src/analysis': ['grammar/src', ...CODEC],
  // The I/O edge: certificate files from disk, a topology file and its PKI folder.
  'server/src/workspace': ['grammar/src', ...CODEC, 'server/src/analysis'],
  'server/src/format': ['grammar/src', 'server/src/analysis'],
  'server/src/diagram': ['grammar/src', 'server/src/analysis'],
  // CI renderers (SARIF, GitHub annotations) of diagnostics, shared by check and scan.
  'server/src/ci': ['server/src/analysis'],
  'server/src/pki': ['grammar/src', ...CODEC, 'server/src/analysis', 'server/src/workspace'],
  'server/src/handshake': [...BELOW_COMMANDS],
  'server/src/simulate': [...BELOW_COMMANDS, 'server/src/handshake'],
  // Domain engines of later commands (issues 15-17): the same footing as simulate.
  'server/src/import': [...BELOW_COMMANDS, 'server/src/handshake', 'server/src/simulate'],
  'server/src/scan': [...BELOW_COMMANDS, 'server/src/handshake', 'server/src/simulate', 'server/src/ci'],
  'server/src/rotate': [...BELOW_COMMANDS, 'server/src/handshake', 'server/src/simulate'],
  // The two front ends: both call the engines; the CLI also starts the language server (`sptls lsp`).
  'server/src/lsp': ['protocol', ...BELOW_COMMANDS, 'server/src/format', 'server/src/diagram', 'server/src/handshake', 'server/src/simulate', 'server/src/import', 'server/src/scan', 'server/src/rotate'],
  'server/src/cli': ['protocol', ...BELOW_COMMANDS, 'server/src/format', 'server/src/diagram', 'server/src/ci', 'server/src/handshake', 'server/src/simulate', 'server/src/import', 'server/src/scan', 'server/src/rotate', 'server/src/lsp'],
  // The VS Code extension: the protocol module and nothing else of ours.
  'client/src': ['protocol'],
};

/** Units that may read no file, network, process, editor or protocol library. */
const PURE = ['protocol', 'grammar/src', ...CODEC, 'server/src/analysis'];
/** Units that may not read the clock: the time is an input (`AnalysisOptions.now`). */
const CLOCKLESS = ['protocol', 'grammar/src', 'server/src/analysis'];
const IMPURE_MODULE = /^(?:node:)?(?:fs|fs\/promises|child_process|net|tls|http|https|http2|dns|dgram|worker_threads|os|process)$|^vscode(?:-languageserver[\w-]*|-languageclient|-jsonrpc)?(?:\/|$)/;
const CLOCK = /\bDate\.now\s*\(|\bnew\s+Date\s*\(\s*\)|\bperformance\.now\s*\(/;
/** Packages the VS Code client may import besides protocol/ and its own files. */
const CLIENT_PACKAGES = /^(?:vscode|vscode-languageclient(?:\/.*)?|node:[\w/]+)$/;

/** Files that load modules lazily on purpose, each with its reason. */
export const DYNAMIC_IMPORTS: Readonly<Record<string, string>> = {
  'server/src/cli/commands/index.ts': 'the CLI bundle is split per command',
  'server/src/lsp/commands/index.ts': 'the server starts without the command engines',
  'server/src/diagram/layout.ts': 'ELK is loaded only when a diagram is laid out',
};

export interface ImportRef {
  specifier: string;
  dynamic: boolean;
  /** `export … from`: a re-export. */
  reexport: boolean;
}

/** Every module a file names: static imports, re-exports, import() and require(). */
export function importsOf(text: string): ImportRef[] {
  const code = text.replace(/\/\*[^]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: ImportRef[] = [];
  for (const m of code.matchAll(/^\s*(import|export)\s[^'";]*?\sfrom\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm)) {
    out.push({ specifier: m[2] ?? m[3]!, dynamic: false, reexport: m[1] === 'export' });
  }
  for (const m of code.matchAll(/\b(?:import|require)\s*\(\s*([^)]*?)\s*\)/g)) {
    const literal = /^['"`]([^'"`]+)['"`]$/.exec(m[1]!);
    out.push({ specifier: literal ? literal[1]! : `<computed ${m[1]}>`, dynamic: true, reexport: false });
  }
  return out;
}

function sources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The unit a repository-relative path belongs to, or null outside every unit. */
export function unitOf(path: string): string | null {
  let best: string | null = null;
  for (const unit of Object.keys(LAYERS)) {
    if ((path === unit || path.startsWith(`${unit}/`)) && (!best || unit.length > best.length)) best = unit;
  }
  return best;
}

/** Every violation in the tree at `root`, one line each; empty when the tree keeps the map. */
export function checkArchitecture(root: string): string[] {
  const problems: string[] = [];
  const files = ['protocol', 'grammar/src', 'server/src', 'client/src'].flatMap((d) => sources(join(root, d)));
  const edges = new Map<string, Set<string>>();
  for (const file of files) {
    const rel = relative(root, file).split('\\').join('/');
    const unit = unitOf(rel);
    if (!unit) {
      problems.push(`${rel}: its folder is not in the layer map (test/architecture/layers.ts)`);
      continue;
    }
    const text = readFileSync(file, 'utf8');
    if (CLOCKLESS.includes(unit) && CLOCK.test(text.replace(/\/\*[^]*?\*\//g, '').replace(/\/\/.*$/gm, ''))) {
      problems.push(`${rel}: reads the clock (the time is an input: AnalysisOptions.now)`);
    }
    for (const ref of importsOf(text)) {
      const at = `${rel} imports ${ref.specifier}`;
      if (ref.dynamic && !DYNAMIC_IMPORTS[rel]) problems.push(`${at} dynamically (only ${Object.keys(DYNAMIC_IMPORTS).join(', ')} may)`);
      if (!ref.specifier.startsWith('.')) {
        if (PURE.includes(unit) && IMPURE_MODULE.test(ref.specifier)) problems.push(`${at}: ${unit} is pure (no I/O, editor or protocol library)`);
        if (unit === 'client/src' && !CLIENT_PACKAGES.test(ref.specifier)) problems.push(`${at}: the client imports only vscode, the language client, Node and protocol/`);
        continue;
      }
      const target = relative(root, resolve(dirname(file), ref.specifier)).split('\\').join('/');
      const to = unitOf(target);
      if (!to) { problems.push(`${at}: outside every unit of the layer map`); continue; }
      if (to === unit) continue;
      if (!LAYERS[unit]!.includes(to)) {
        problems.push(`${at}: ${unit} may not depend on ${to}${ref.reexport ? ' (and re-exporting it is still depending on it)' : ''}`);
      }
      let set = edges.get(unit);
      if (!set) edges.set(unit, (set = new Set()));
      set.add(to);
    }
  }
  problems.push(...cycles(edges).map((c) => `folder cycle: ${c.join(' -> ')}`));
  return problems;
}

/** Each cycle of the folder graph once, as the path that closes it. */
function cycles(edges: Map<string, Set<string>>): string[][] {
  const found: string[][] = [];
  const seen = new Set<string>();
  const visit = (node: string, path: string[]) => {
    const at = path.indexOf(node);
    if (at >= 0) { found.push([...path.slice(at), node]); return; }
    if (seen.has(node)) return;
    seen.add(node);
    for (const next of edges.get(node) ?? []) visit(next, [...path, node]);
  };
  for (const node of [...edges.keys()].sort()) visit(node, []);
  return found;
}
