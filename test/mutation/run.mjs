// npm run test:mutation [-- target ...]: StrykerJS over each target (all by default), one after another.
// Fails when any target's mutation score is below its break threshold.
import { spawnSync } from 'node:child_process';
import { targets } from './targets.mjs';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(
    `usage: npm run test:mutation [-- <target> ...]\n  targets: ${Object.keys(targets).join(', ')} (all by default)\n`,
  );
  process.exit(0);
}
const unknown = args.filter((name) => !(name in targets));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown target: ${unknown.join(', ')}; targets: ${Object.keys(targets).join(', ')}\n`,
  );
  process.exit(2);
}
const chosen = args.length > 0 ? args : Object.keys(targets);
let failed = false;
for (const name of chosen) {
  process.stdout.write(`\n[mutation] ${name}\n`);
  const result = spawnSync(
    process.execPath,
    ['node_modules/@stryker-mutator/core/bin/stryker.js', 'run', 'test/mutation/stryker.config.mjs'],
    { stdio: 'inherit', env: { ...process.env, STRYKER_TARGET: name } },
  );
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
