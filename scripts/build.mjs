// Bundles the CLI, the language server and the VS Code client with esbuild.
// Chevrotain is ESM-only while VS Code loads CommonJS; esbuild joins the two.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

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

const bundles = [
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.cjs' },
  { entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.cjs' },
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.cjs', external: ['vscode'] },
];
await Promise.all(bundles.filter((b) => existsSync(b.entryPoints[0])).map((b) => build({ ...common, ...b })));
