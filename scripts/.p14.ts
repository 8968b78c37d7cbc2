import { parse } from '../grammar/src/index.ts';
import { readFileSync } from 'node:fs';
const text = readFileSync(process.argv[2]!, 'utf8');
for (let i = 0; i < 10; i++) parse(text);
