// docs/rotation.md shows pieces of the phase files of one example: each must be what
// `sptls rotate examples/production.sptls --ca CorpRoot` really writes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { rotate } from '../../server/src/rotate/index.ts';
import { files, NOW, production, root } from './support.ts';

it('every phase excerpt in docs/rotation.md is in the phase file it names', async () => {
  const doc = readFileSync(join(root, 'docs', 'rotation.md'), 'utf8');
  const r = await rotate({ text: production, files: files() }, { target: { kind: 'ca', name: 'CorpRoot' }, now: NOW });
  assert.ok(r.ok);
  const excerpts = [...doc.matchAll(/<!-- (phase-[\w-]+) -->\n```sptls\n([\s\S]*?)```/g)];
  assert.ok(excerpts.length >= 5);
  for (const [, id, body] of excerpts) {
    const phase = r.rotation.plan.phases.find((p) => p.id === id);
    assert.ok(phase, id);
    assert.ok(phase.text.includes(body!), `${id} does not contain:\n${body}`);
  }
});
