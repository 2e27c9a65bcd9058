import { OWNER_ROLES, type MigrationSet, type OwnerRole, type Pool, type PoolClient } from '@jigsaw/database';
import { agencyOfSource, type RecordedEvent } from '@jigsaw/envelope';
import { isChildErased } from '@jigsaw/erasure';
import { appliedEventsMigrations, type Projection } from '@jigsaw/projection';
import { isPartnershipRead, partnershipReadsProjection } from './access/partnership-reads.projection.js';
import { ACCESS_CLAIMED } from './children/access-claimed.event.js';
import { accessClaimsProjection } from './children/access-claims.projection.js';
import { chronologyProjection } from './chronology/chronology.projection.js';
import { isNotificationEvent } from './notifications/notification.events.js';
import { notificationsReadModelProjection } from './notifications/notifications.projection.js';
import { NOTIFICATIONS_SCHEMA_NAME, notificationsMigrations } from './notifications/notifications-schema.js';
import { VIEW_SCHEMA, viewMigrations } from './view-schema.js';

/** A table a read model owns, with the key its rows are compared by after a rebuild. */
export interface ReadModelTable {
  name: string;
  key: readonly string[];
  /** Columns that differ by nature between two builds (e.g. when a row was projected). */
  ignore?: readonly string[];
}

export interface ReadModelContext {
  pool: Pool;
}

/**
 * One read model: everything its owner's live projection and the audit service's rebuild need to build it,
 * compare two builds of it, and swap one for the other. Adding a read model is one entry in its owner's
 * list (VIEW_READ_MODELS, NOTIFICATION_READ_MODELS).
 */
export interface ReadModel {
  name: string;
  /** Migrations that create its tables with `schema` first on the search path; sets shared by models apply once. */
  migrations: (schema: string) => MigrationSet[];
  projections: (context: ReadModelContext) => Projection[];
  /** The events it is built from; live consumption and replay both apply only these. */
  consumes: (event: RecordedEvent) => boolean;
  /** Every table it writes, moved together when a rebuild is swapped in. Views over them are not supported. */
  tables: readonly ReadModelTable[];
}

/** Records the agencies publish: what the view consumes from the agency topics. */
export function isAgencyRecord(event: RecordedEvent): boolean {
  return agencyOfSource(event.source) !== undefined;
}

export const VIEW_READ_MODELS: readonly ReadModel[] = [
  {
    name: 'chronology',
    migrations: (schema) => [viewMigrations(schema)],
    projections: () => [chronologyProjection],
    // And hub.child-erased: the child's entries give up their personal data.
    consumes: (event) => isAgencyRecord(event) || isChildErased(event),
    tables: [{ name: 'chronology', key: ['event_key'], ignore: ['projected_at'] }],
  },
  {
    name: 'access-claims',
    migrations: (schema) => [viewMigrations(schema)],
    projections: () => [accessClaimsProjection],
    consumes: (event) => event.type === ACCESS_CLAIMED,
    tables: [{ name: 'access_claims', key: ['claim_id', 'reported_to'] }],
  },
  {
    name: 'partnership-reads',
    migrations: (schema) => [viewMigrations(schema)],
    projections: () => [partnershipReadsProjection],
    consumes: isPartnershipRead,
    tables: [{ name: 'partnership_reads', key: ['read_id', 'reported_to'] }],
  },
];

export const NOTIFICATION_READ_MODELS: readonly ReadModel[] = [
  {
    // The inbox and the webhook work-queue, from each notification's stream. The lease is the dispatcher's
    // claim on an attempt in flight, and `attempts` also counts attempts a crash cut off: neither is an event.
    name: 'notifications',
    migrations: (schema) => [notificationsMigrations(schema)],
    projections: () => [notificationsReadModelProjection],
    consumes: isNotificationEvent,
    tables: [
      { name: 'notifications', key: ['id'] },
      { name: 'notification_deliveries', key: ['id'], ignore: ['lease_until', 'attempts'] },
    ],
  },
];

/**
 * The owners of rebuildable read models: each keeps its own in its own live schema, as its own role, and a
 * rebuild of them is built, compared and swapped in schemas named after that one, as that role.
 */
export interface ReadModelOwner {
  liveSchema: string;
  role: OwnerRole;
  models: readonly ReadModel[];
}

export const READ_MODEL_OWNERS: readonly ReadModelOwner[] = [
  { liveSchema: VIEW_SCHEMA, role: OWNER_ROLES.view, models: VIEW_READ_MODELS },
  {
    liveSchema: NOTIFICATIONS_SCHEMA_NAME,
    role: OWNER_ROLES.notifications,
    models: NOTIFICATION_READ_MODELS,
  },
];

/** A projection that sees only the events its read model consumes, whichever feed it sits on. */
function consuming(projection: Projection, consumes: (event: RecordedEvent) => boolean): Projection {
  return {
    name: projection.name,
    ...(projection.perChild ? { perChild: true } : {}),
    apply: async (tx: PoolClient, event: RecordedEvent) => {
      if (consumes(event)) await projection.apply(tx, event);
    },
    applyMany: async (tx: PoolClient, events: readonly RecordedEvent[]) => {
      const mine = events.filter(consumes);
      if (projection.applyMany) await projection.applyMany(tx, mine);
      else for (const event of mine) await projection.apply(tx, event);
    },
  };
}

/** The projections of these read models, each filtered to what it consumes: for live consumption and replay. */
export function readModelProjections(
  context: ReadModelContext,
  models: readonly ReadModel[] = VIEW_READ_MODELS,
): Projection[] {
  return models.flatMap((model) =>
    model.projections(context).map((projection) => consuming(projection, model.consumes)),
  );
}

/** The migrations that build these read models in `schema`, each set once. */
export function readModelMigrations(
  schema: string,
  models: readonly ReadModel[] = VIEW_READ_MODELS,
): MigrationSet[] {
  const sets = new Map<string, MigrationSet>();
  for (const set of models.flatMap((model) => model.migrations(schema))) {
    sets.set(`${set.component}|${set.directory}|${set.schema ?? ''}`, set);
  }
  return [...sets.values()];
}

/** Every owner's live schema of read models, with its applied events: as the owners' services make them. */
export function liveReadModelMigrations(): MigrationSet[] {
  return READ_MODEL_OWNERS.flatMap((owner) => [
    appliedEventsMigrations(owner.liveSchema),
    ...readModelMigrations(owner.liveSchema, owner.models),
  ]);
}
