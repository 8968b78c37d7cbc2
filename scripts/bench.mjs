// `npm run bench`: every benchmark of the project, one after the other, each printing
// its figures with the size of the work. Targets are printed beside the figures, not asserted.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const benches = [
  ['language core (issue: parse + analysis, 1k/10k/50k lines)', 'scripts/bench-core.ts'],
  ['language server over stdio', 'scripts/bench-lsp.mjs'],
  ['certificate issuance vs the openssl CLI', 'scripts/bench-issue.mjs'],
  ['handshake tester vs openssl s_time', 'scripts/bench-handshake.mjs'],
  ['topology diagram', 'scripts/bench-diagram.mjs'],
  ['simulate production.sptls', 'scripts/bench-simulate.mjs'],
  ['scan of 200 loopback endpoints', 'scripts/bench-scan.ts'],
  ['import of a 2,000-client collection', 'scripts/bench-import.ts'],
];

let failed = 0;
for (const [title, script] of benches) {
  if (!existsSync(script)) continue;
  console.log(`\n=== ${title} (${script})`);
  const r = spawnSync(process.execPath, [script], { stdio: 'inherit' });
  if (r.status !== 0) { failed++; console.log(`!!! ${script} exited ${r.status}`); }
}
process.exit(failed ? 1 : 0);
