// Bundles the end-to-end mocha suite (test/e2e/suite/) to CommonJS for VS Code's
// extension host: .cache/e2e/suite/index.cjs exports the `run()` the host calls.
// `vscode` comes from the host, mocha from the project's node_modules.
import { build } from 'esbuild';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
export const suiteOut = join(root, '.cache', 'e2e', 'suite', 'index.cjs');

await build({
  entryPoints: [join(root, 'test', 'e2e', 'suite', 'index.ts')],
  outfile: suiteOut,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
