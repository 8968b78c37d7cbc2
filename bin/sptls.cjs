#!/usr/bin/env node
// Thin launcher: the CLI is bundled (and polyfilled for older Node) by `npm run build`.
const path = require('node:path');
const fs = require('node:fs');
const bundle = path.join(__dirname, '..', 'dist', 'cli.cjs');
if (!fs.existsSync(bundle)) {
  process.stderr.write(`sptls: ${bundle} is missing; run \`npm run build\` in ${path.dirname(__dirname)} first\n`);
  process.exit(2);
}
require(bundle);
