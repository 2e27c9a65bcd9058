// `npm run migrate`: applies every service's migrations and exits, for services that run with
// DATABASE_MIGRATIONS=check and a login of their own each (docs/operating.md, "One login per service").
// Builds, then runs each built service with --migrate-only, one after another, in the environment given:
// DATABASE_URL names a login that may act as every owner. Stops at the first failure, exiting non-zero.
import './node24.mjs';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Every service's sets start with the shared stores (event store, identity). The view's schema before the
// notifications', whose first start moves their tables of an older store out of it; then the rest.
const ORDER = ['safeguarding-view', 'notifications', 'audit', 'police', 'council', 'health', 'education'];
const apps = readdirSync(join(root, 'apps')).filter((name) =>
  existsSync(join(root, 'apps', name, 'src/main.ts')),
);
const SERVICES = [
  ...ORDER.filter((name) => apps.includes(name)),
  ...apps.filter((name) => !ORDER.includes(name)).sort(),
];

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(
    [
      'usage: npm run migrate',
      '',
      "Applies every service's PostgreSQL migrations, as each would at start with DATABASE_MIGRATIONS=apply",
      "(the owners' roles, the migrations, ownership and grants), and exits: for services run with",
      'DATABASE_MIGRATIONS=check and a login of their own each. Builds, then runs each service with',
      `--migrate-only, in this order: ${SERVICES.join(', ')}.`,
      "Environment: the services' own; DATABASE_URL names a login that may act as every owner.",
      '',
    ].join('\n'),
  );
  process.exit(0);
}

build();
for (const name of SERVICES) {
  const { status, signal } = spawnSync(
    process.execPath,
    [join(root, `dist/apps/${name}/src/main.js`), '--migrate-only'],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (status !== 0) {
    process.stderr.write(
      `[jigsaw] ${name}'s migrations failed (${signal ?? `exit ${status}`}); stopped there\n`,
    );
    process.exit(status || 1);
  }
}
process.stdout.write(`[jigsaw] every service's migrations are applied\n`);
