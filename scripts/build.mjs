// Bundles the CLI, the language server and the VS Code client with esbuild.
// Chevrotain is ESM-only while VS Code loads CommonJS; esbuild joins the two.
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';

// Chevrotain 13 calls Object.groupBy (Node >= 21). The CLI may be started by an older
// system `node` (e.g. conformance runs outside npm scripts), so the bundles carry a polyfill.
const banner = `if (!Object.groupBy) Object.groupBy = (items, fn) => { const out = Object.create(null); let i = 0; for (const it of items) { const k = fn(it, i++); (out[k] ??= []).push(it); } return out; };
if (!Map.groupBy) Map.groupBy = (items, fn) => { const out = new Map(); let i = 0; for (const it of items) { const k = fn(it, i++); if (!out.has(k)) out.set(k, []); out.get(k).push(it); } return out; };`;

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  minify: process.argv.includes('--minify'),
  banner: { js: banner },
  logLevel: 'warning',
};

// The CLI is ESM split at its dynamic imports (one chunk per command, shared chunks for
// the parser and rules), so a command compiles only the code it runs: `sptls check` is
// started by pre-commit hooks and CI, where the 5 MB of one bundle cost ~130 ms to compile.
// Bundled CommonJS packages (node-forge, elkjs) still call require() for Node's modules.
const cli = {
  entryPoints: { main: 'server/src/cli/main.ts' },
  outdir: 'dist/cli',
  format: 'esm',
  splitting: true,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  banner: { js: `import { createRequire as __sptlsCreateRequire } from 'node:module';\nconst require = __sptlsCreateRequire(import.meta.url);\n${banner}` },
};

rmSync('dist/cli', { recursive: true, force: true });
const bundles = [
  cli,
  { entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.cjs' },
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.cjs', external: ['vscode'] },
];
await Promise.all(bundles.filter((b) => Object.values(b.entryPoints).every((e) => existsSync(e))).map((b) => build({ ...common, ...b })));
