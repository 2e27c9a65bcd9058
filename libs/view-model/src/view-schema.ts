import { join } from 'node:path';
import { repoRoot } from '@jigsaw/config';
import type { MigrationSet } from '@jigsaw/database';

/** The live read models' schema; the audit service rebuilds into others. */
export const VIEW_SCHEMA = 'view';

export function viewMigrations(schema: string): MigrationSet {
  return {
    component: 'safeguarding-view',
    directory: join(repoRoot(), 'apps/safeguarding-view/migrations'),
    schema,
  };
}
