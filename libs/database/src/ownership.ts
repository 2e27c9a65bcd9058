/**
 * Who owns what in the one database, and the exact list of what each owner may still do to another's
 * tables (ARCHITECTURE.md "What is shared today"). Each owner is a PostgreSQL role (NOLOGIN) that owns its
 * schemas and their tables; a service's pool runs as its owner's role, so the database refuses (42501)
 * anything this file does not list. Removing an entry is how a shared access goes.
 */
export const OWNER_ROLES = {
  police: 'jigsaw_police',
  council: 'jigsaw_council',
  health: 'jigsaw_health',
  education: 'jigsaw_education',
  view: 'jigsaw_view',
  notifications: 'jigsaw_notifications',
  audit: 'jigsaw_audit',
  /** The shared stores: the event store and the child keys (`libs/event-store`, `libs/erasure`). */
  eventStore: 'jigsaw_event_store',
  /** The identity module's registry: a library running inside several processes (`libs/identity`). */
  identity: 'jigsaw_identity',
} as const;

export type OwnerRole = (typeof OWNER_ROLES)[keyof typeof OWNER_ROLES];

export const ALL_OWNER_ROLES: readonly OwnerRole[] = Object.values(OWNER_ROLES);

const { police, council, health, education, view, notifications, audit, eventStore, identity } = OWNER_ROLES;
const AGENCIES = [police, council, health, education] as const;
/** Every service that appends to the event store. */
const WRITERS = [...AGENCIES, view, notifications, audit] as const;
/** Owners that publish, each with a relay of its own topics' outbox rows (notifications publish nothing). */
const RELAYS = [...AGENCIES, view, audit] as const;

/** The role owning each schema. The view's and the notifications' are also rebuilt elsewhere: see `schemaOwner`. */
export const SCHEMA_OWNERS: Readonly<Record<string, OwnerRole>> = {
  event_store: eventStore,
  keys: eventStore,
  identity,
  view,
  notifications,
  audit,
};

/**
 * The audit service's rebuilds build, and its swaps retire, an owner's read models in schemas named after
 * the owner's live one: `view_rebuild_<time>`, `notifications_retired_<time>`. Each copy is its owner's.
 */
const REBUILT_SCHEMAS = ['view', 'notifications'] as const;
const COPY = new RegExp(`^(${REBUILT_SCHEMAS.join('|')})_(rebuild|retired)_[a-z0-9_]+$`);

/** The live schema `schema` is a rebuilt or retired copy of, or `schema` itself. */
function familyOf(schema: string): string {
  return COPY.exec(schema)?.[1] ?? schema;
}

/** The role that owns `schema`, or undefined for a schema no owner claims (a test's own, say). */
export function schemaOwner(schema: string): OwnerRole | undefined {
  return SCHEMA_OWNERS[familyOf(schema)];
}

export type Privilege = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';
export const PRIVILEGES: readonly Privilege[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];

export interface Grant {
  to: readonly OwnerRole[];
  /**
   * A schema in SCHEMA_OWNERS (`view` and `notifications` also cover their rebuild and retired copies), or
   * `public`, whose shared bookkeeping is the login's.
   */
  schema: string;
  tables: readonly string[];
  privileges: readonly Privilege[];
  why: string;
}

/** Everything one owner may do to another's tables. An owner may do anything to its own. */
export const GRANTS: readonly Grant[] = [
  {
    to: WRITERS,
    schema: 'event_store',
    tables: ['events'],
    privileges: ['SELECT', 'INSERT'],
    why: 'one table of events: each owner appends its own streams and reads them back',
  },
  {
    to: WRITERS,
    schema: 'event_store',
    tables: ['streams'],
    privileges: ['SELECT', 'INSERT', 'UPDATE'],
    why: 'each append claims its stream head',
  },
  {
    to: RELAYS,
    schema: 'event_store',
    tables: ['outbox'],
    privileges: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
    why: "an append writes its outbox rows; the owner's relay claims them (FOR UPDATE), publishes, deletes",
  },
  {
    to: [notifications],
    schema: 'event_store',
    tables: ['outbox'],
    privileges: ['INSERT'],
    why: "a batch's append is one statement naming the outbox, though notifications' streams have no topic",
  },
  {
    to: RELAYS,
    schema: 'event_store',
    tables: ['kurrentdb_checkpoints'],
    privileges: ['SELECT', 'INSERT', 'UPDATE'],
    why: "on KurrentDB, each owner's publisher keeps its place in $all",
  },
  {
    to: [audit],
    schema: 'event_store',
    tables: ['sealed_heads'],
    privileges: ['SELECT', 'INSERT', 'UPDATE'],
    why: 'the audit service checks the hash chains and seals the heads that moved',
  },
  {
    to: [audit],
    schema: 'event_store',
    tables: ['seals'],
    privileges: ['SELECT', 'INSERT'],
    why: 'each seal is chained to the one before',
  },
  {
    to: WRITERS,
    schema: 'keys',
    tables: ['child_keys'],
    privileges: ['SELECT', 'INSERT'],
    why: "whichever service first seals a child's personal data makes its key; every reader opens with it",
  },
  {
    to: [audit],
    schema: 'keys',
    tables: ['child_keys'],
    privileges: ['UPDATE'],
    why: "erasure destroys the child's key",
  },
  {
    to: AGENCIES,
    schema: 'identity',
    tables: ['child_identifiers', 'child_evidence'],
    privileges: ['SELECT', 'INSERT'],
    why: "each agency's ingest registers identifiers and evidence through the identity module",
  },
  {
    to: [view],
    schema: 'identity',
    tables: ['child_identifiers', 'child_evidence'],
    privileges: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
    why: "the identity module's decisions, lookups and possible-match raiser run in the view's process",
  },
  {
    to: [audit],
    schema: 'identity',
    tables: ['child_identifiers', 'child_evidence'],
    privileges: ['SELECT', 'DELETE'],
    why: 'the audit service resolves children and forgets an erased one through the identity module',
  },
  {
    to: [view, notifications],
    schema: 'public',
    tables: ['jigsaw_migrations'],
    privileges: ['SELECT', 'DELETE'],
    why: "the login's record of migrations applied: a dropped rebuild schema forgets its own",
  },
  {
    to: WRITERS,
    schema: 'public',
    tables: ['jigsaw_migrations'],
    privileges: ['SELECT'],
    why: 'a service started with DATABASE_MIGRATIONS=check reads, as its role, whether its migrations are applied',
  },
];

/** The grants on one table of `schema` (a rebuilt or retired copy counts as its live schema), role by role. */
export function grantsOn(schema: string, table: string): Map<OwnerRole, Set<Privilege>> {
  const family = familyOf(schema);
  const found = new Map<OwnerRole, Set<Privilege>>();
  for (const grant of GRANTS) {
    if (grant.schema !== family || !grant.tables.includes(table)) continue;
    for (const role of grant.to) {
      const privileges = found.get(role) ?? new Set<Privilege>();
      for (const privilege of grant.privileges) privileges.add(privilege);
      found.set(role, privileges);
    }
  }
  return found;
}

/** Whether `role` may do `privilege` on `schema.table` under this file: as its owner, or by a grant. */
export function allowed(role: OwnerRole, schema: string, table: string, privilege: Privilege): boolean {
  return schemaOwner(schema) === role || (grantsOn(schema, table).get(role)?.has(privilege) ?? false);
}

/**
 * Which owners append which streams of the one event store, by the stream's prefix. A stream is its longest
 * listed prefix's: `access-claims-<id>` is the view's alone, though others append `access-<id>`. The
 * database holds every role to it row by row (`stream-policies.ts`): an append to a stream not listed for
 * the role is refused (42501, a row-level security violation).
 */
export interface StreamWrite {
  to: readonly OwnerRole[];
  prefix: string;
  why: string;
}

export const STREAM_WRITES: readonly StreamWrite[] = [
  ...(['police', 'council', 'health', 'education'] as const).map((agency) => ({
    to: [OWNER_ROLES[agency]],
    prefix: `${agency}-`,
    why: "the agency's records of one child, appended by its own ingest",
  })),
  {
    to: [view],
    prefix: 'identity-',
    why: "the identity module's decisions (and its possible-match raiser) run in the view's process",
  },
  {
    to: [view, notifications, audit],
    prefix: 'access-',
    why: 'each read of a child is recorded where it is made: the view, the inbox, the audit service',
  },
  { to: [view], prefix: 'access-claims-', why: 'a practitioner claims a relationship in the view' },
  { to: [view], prefix: 'reviews-', why: "a child's reviews are recorded in the view" },
  {
    to: [notifications],
    prefix: 'notification-',
    why: 'one stream a notification, the inbox its read model',
  },
  { to: [audit], prefix: 'erasure-', why: "the audit service (and its CLI) records a child's erasure" },
];

/**
 * Which owners route outbox rows to which topics, named without `KAFKA_TOPIC_PREFIX` (a row's topic ends
 * with the name). Notifications route none: their streams are never published.
 */
export interface TopicWrite {
  to: readonly OwnerRole[];
  topic: string;
  why: string;
}

export const OUTBOX_TOPICS: readonly TopicWrite[] = [
  ...(['police', 'council', 'health', 'education'] as const).map((agency) => ({
    to: [OWNER_ROLES[agency]],
    topic: `${agency}.events`,
    why: "the agency's relay publishes its records",
  })),
  { to: [view], topic: 'hub.events', why: "the identity module's relay, in the view's process" },
  { to: [view], topic: 'hub.access', why: "the view's relay publishes the CP-IS flag look-ups" },
  { to: [audit], topic: 'hub.erasures', why: "the audit service's relay publishes erasures" },
];

/** The entry whose key is the longest of those that `matches`: a longer prefix (or suffix) is more specific. */
function longest<T>(entries: readonly T[], key: (entry: T) => string, matches: (key: string) => boolean) {
  return entries.filter((e) => matches(key(e))).sort((a, b) => key(b).length - key(a).length)[0];
}

/** The owners that may append `streamId`: its longest listed prefix's, or none. */
export function streamWriters(streamId: string): readonly OwnerRole[] {
  return (
    longest(
      STREAM_WRITES,
      (w) => w.prefix,
      (prefix) => streamId.startsWith(prefix),
    )?.to ?? []
  );
}

/** The owners that may route an outbox row to `topic` (under any prefix): its longest listed name's, or none. */
export function topicWriters(topic: string): readonly OwnerRole[] {
  return (
    longest(
      OUTBOX_TOPICS,
      (t) => t.topic,
      (name) => topic.endsWith(name),
    )?.to ?? []
  );
}
