import { join } from 'node:path';
import { repoRoot } from '@jigsaw/config';
import { OWNER_ROLES, type MigrationSet, type Pool } from '@jigsaw/database';
import { erasureTopic, OpeningEventStore, PersonalDataVault } from '@jigsaw/erasure';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@jigsaw/event-store';
import { IDENTITY_MIGRATIONS, IdentityRegistry, StoredLinks } from '@jigsaw/identity';
import { AccessLog, relationshipsFrom, resolveChildRef, storedRelationshipFacts } from '@jigsaw/view-model';
import { AuditReads, type ChildRefs } from './audit-reads.js';
import { ChildHistory } from './history/child-history.js';
import { NotificationHistoryReads } from './notifications/notification-history.js';
import type { RebuildPoolSource } from './rebuild/rebuild-pools.js';
import { Rebuilds } from './rebuild/rebuilds.js';

export const AUDIT_MIGRATIONS: MigrationSet = {
  component: 'audit',
  owner: OWNER_ROLES.audit,
  directory: join(repoRoot(), 'apps/audit/migrations'),
};

/** What the audit service and CLI need in the database: the store it reads and its own bookkeeping. */
export const AUDIT_SERVICE_MIGRATIONS: readonly MigrationSet[] = [
  EVENT_STORE_MIGRATIONS,
  IDENTITY_MIGRATIONS,
  AUDIT_MIGRATIONS,
];

/** The audit service's parts, built once over one pool: for the API's providers and for the CLI. */
export interface Audit {
  store: PostgresEventStore;
  /** Opens personal data for the reads, and erases a child (`eraseChild`). */
  vault: PersonalDataVault;
  reads: AuditReads;
  /** Who was told about a child, when, and what came of it: one notification's stream, as known at. */
  notifications: NotificationHistoryReads;
  rebuilds: Rebuilds;
}

export function createAudit(
  pool: Pool,
  identifierSecret: string,
  masterKey: string,
  /** With a topic prefix, erasures are published for the live read models; without, only stored. */
  topicPrefix?: string,
  /** The rebuilds' pools, each acting as a read model owner's role: the tables they build and swap are its. */
  rebuildPools: RebuildPoolSource = { poolFor: () => pool },
): Audit {
  // No outbox route: access events stay in the store, off the agency topics, as the view's do.
  const store = new PostgresEventStore(pool);
  const vault = new PersonalDataVault(pool, {
    masterKey,
    ...(topicPrefix === undefined ? {} : { erasureTopic: erasureTopic(topicPrefix) }),
  });
  // Records come back with their personal data opened, or marked erased: as the live view holds them.
  const records = new OpeningEventStore(store, vault);
  // Linked children as identity's events in the store join them, not as another owner projected them.
  const identity = new IdentityRegistry(pool, identifierSecret);
  const links = new StoredLinks(pool);
  const children: ChildRefs = {
    resolve: (ref) => resolveChildRef(identity, links, ref),
    membersOf: (childId) => links.membersOf(childId),
  };
  const history = new ChildHistory(records);
  // Who was notified about the child, and which school a URN is: from the events, not the notifications' read models.
  const facts = storedRelationshipFacts(pool);
  const reads = new AuditReads(children, history, new AccessLog(store), (members, events) =>
    relationshipsFrom(facts, members, events),
  );
  return {
    store,
    vault,
    reads,
    notifications: new NotificationHistoryReads(store, reads, children, history),
    rebuilds: Rebuilds.forOwners(rebuildPools, records, pool),
  };
}

/** The injection token of the Audit parts in the API. */
export const AUDIT = Symbol('AUDIT');
