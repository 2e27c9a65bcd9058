import { join } from 'node:path';
import { repoRoot } from '@jigsaw/config';
import type { MigrationSet } from '@jigsaw/database';
import { appliedEventsMigrations } from '@jigsaw/projection';

/**
 * The notifications service's schema: the events its consumers applied, each child's history and links as
 * they applied them, the intents, the schools, and its read models (the inbox and the webhook work-queue,
 * which the audit service rebuilds into `notifications_rebuild_<time>` schemas).
 */
export const NOTIFICATIONS_SCHEMA_NAME = 'notifications';

/** The migrations of the notifications' tables, in `schema`: the live one, a test's or a rebuild's. */
export function notificationsMigrations(schema: string): MigrationSet {
  return { component: 'notifications', directory: join(repoRoot(), 'apps/notifications/migrations'), schema };
}

/**
 * Moves the notifications' tables of a store made before they were their own out of the view's schema. It
 * runs as the migrating login (no owner), after the live schema's applied_events exist and before its tables
 * are made.
 */
const FROM_VIEW: MigrationSet = {
  component: 'notifications-from-view',
  directory: join(repoRoot(), 'apps/notifications/migrations/from-view'),
};

/** Everything the live notifications schema is made of, in order. */
export function liveNotificationsMigrations(): MigrationSet[] {
  return [
    appliedEventsMigrations(NOTIFICATIONS_SCHEMA_NAME),
    FROM_VIEW,
    notificationsMigrations(NOTIFICATIONS_SCHEMA_NAME),
  ];
}
