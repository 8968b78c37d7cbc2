// A validator for SARIF 2.1.0 logs: the JSON schema that Microsoft's SARIF Multitool
// ships on npm (each platform package carries it), compiled with ajv and its formats.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const require = createRequire(import.meta.url);

export function sarifValidator() {
  const pkg = require.resolve(`@microsoft/sarif-multitool-${process.platform}/package.json`);
  const schema = JSON.parse(readFileSync(join(dirname(pkg), 'sarif-2.1.0.json'), 'utf8')) as object;
  const ajv = new Ajv2020.default({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv.compile(schema);
}
