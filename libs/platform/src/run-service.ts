import type { DynamicModule } from '@nestjs/common';
import { bootstrapService } from '@jigsaw/http';
import { platformOptionsIn } from './platform.module.js';
import { migrateServiceDatabase } from './service-database.js';

/** The argument `npm run migrate` runs each built service with: apply its migrations, start nothing. */
export const MIGRATE_ONLY = '--migrate-only';

/**
 * Runs a service from its `main.ts`: its HTTP API and everything its module starts. With `--migrate-only`
 * among its arguments it only applies the migrations its `PlatformModule` names, as a start with
 * `DATABASE_MIGRATIONS=apply` would (roles, migrations, ownership, grants, as the login), prints each file
 * applied, and returns without connecting to Kafka or listening; on a failure it says why and sets the exit
 * code to 1.
 */
export async function runService(
  name: string,
  module: DynamicModule,
  port: number,
  options: Parameters<typeof bootstrapService>[3] = {},
  argv: readonly string[] = process.argv.slice(2),
): Promise<void> {
  if (!argv.includes(MIGRATE_ONLY)) {
    await bootstrapService(name, module, port, options);
    return;
  }
  try {
    const applied = await migrateServiceDatabase(platformOptionsIn(module));
    for (const file of applied) process.stdout.write(`${name}: applied ${file}\n`);
    process.stdout.write(`${name}: every migration applied (${applied.length} just now)\n`);
  } catch (error) {
    process.stderr.write(`${name}: migrations failed: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
