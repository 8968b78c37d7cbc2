#!/usr/bin/env node
// Thin launcher: the CLI is bundled (and polyfilled for older Node) by `npm run build`.
const path = require('node:path');
const fs = require('node:fs');
const { pathToFileURL } = require('node:url');
const entry = path.join(__dirname, '..', 'dist', 'cli', 'main.mjs');
if (!fs.existsSync(entry)) {
  process.stderr.write(`sptls: ${entry} is missing; run \`npm run build\` in ${path.dirname(__dirname)} first\n`);
  process.exit(2);
}
// V8 keeps the compiled bundle in Node's on-disk compile cache (Node >= 22.1), so later runs skip compiling it.
require('node:module').enableCompileCache?.();
import(pathToFileURL(entry).href);
