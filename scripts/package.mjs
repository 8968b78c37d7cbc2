// `npm run package`: minified bundles, then a VSIX (vsce, no node_modules: the
// bundles carry their dependencies) holding only what .vscodeignore lets through.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = `${name}-${version}.vsix`;

function run(args, what) {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`package: ${what} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

run([join('scripts', 'build.mjs'), '--minify'], 'the minified build');
run([join('node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out], 'vsce package');
const bytes = statSync(join(root, out)).size;
console.log(`${out}: ${(bytes / 1024 / 1024).toFixed(2)} MB (${bytes} bytes)`);
