import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '@jigsaw/envelope';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import type { StoredEvent } from '@jigsaw/event-store';
import { eventKey, type Relationships } from '@jigsaw/sharing';
import { reviewsOf, type ChildLookup } from '@jigsaw/view-model';
import {
  auditAccessed,
  type AuditAccessedData,
  type AuditShownRecord,
  type AuditView,
} from './access/audit-accessed.event.js';
import { accessLogOf, type AccessLogEntry } from './access-log/access-log.js';
import { asKnownAt, parseAsKnownAtQuery, type AsKnownAt } from './as-known-at/as-known-at.js';
import type { AuditCaller } from './auth/audit-caller.js';
import {
  auditScopeOf,
  mayReplayAs,
  readsInScope,
  recordsInScope,
  type AuditScope,
} from './auth/audit-policy.js';
import type { ChildHistory } from './history/child-history.js';
import { subjectAccessExport, type SubjectAccessExport } from './subject-access/subject-access-export.js';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Child references: a ref to the child it names now, and every hub child id linked into it. */
export interface ChildRefs {
  resolve(ref: string): Promise<string>;
  membersOf(childId: string): Promise<string[]>;
}

/** Every organisation's relationship with the child, from its history and what the hub addressed about it. */
export type RelationshipsOf = (
  members: readonly string[],
  history: readonly RecordedEvent[],
) => Promise<Relationships>;

export interface AccessRecorder {
  record(event: RecordedEvent): Promise<void>;
}

export function audited(events: readonly StoredEvent[]): AuditShownRecord[] {
  return events.map(({ event }) => ({
    event: eventKey(event.source, event.id),
    level: 'full',
    reason: 'audit',
    lawfulBasis: event.sharing.basis.lawfulBasis,
    regime: event.sharing.basis.regime,
  }));
}

/** A partnership-wide read is reported to every organisation holding a relationship with the child. */
function reported(scope: AuditScope): { reportedTo?: readonly string[] } {
  return scope.kind === 'partnership' ? { reportedTo: scope.reportTo } : {};
}

/**
 * The auditors' reads, shared by the API and the CLI. Each one reads the history, decides, records the
 * read in the child's access stream, and only then answers: a read that cannot be recorded fails.
 */
export class AuditReads {
  constructor(
    private readonly children: ChildRefs,
    private readonly history: ChildHistory,
    private readonly log: AccessRecorder,
    private readonly relationships: RelationshipsOf,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async asKnownAt(
    caller: AuditCaller,
    ref: string,
    query: Readonly<Record<string, unknown>>,
  ): Promise<AsKnownAt> {
    const now = this.clock();
    const parsed = parseAsKnownAtQuery(query, now);
    const { childId, members } = await this.child(ref);
    const [records, claims] = await Promise.all([
      this.history.records(members),
      this.history.claims(members),
    ]);
    if (records.length === 0) throw this.notHeld();
    const scope = await this.scope(caller, { childId, members, ref, view: 'as-known-at' }, records, now);
    if (!mayReplayAs(scope, parsed.viewer.organisation)) {
      throw new JigsawError(ErrorCode.Forbidden, "you may replay only your own organisation's view", [
        { field: 'viewer', reason: `must be ${caller.organisation}` },
      ]);
    }
    const { answer, shown } = asKnownAt(childId, parsed, records, claims);
    const { at, viewer } = answer;
    await this.record(
      { caller, now, view: 'as-known-at', childId, ref, asKnownAt: { at, viewer }, ...reported(scope) },
      shown.map((s) => ({ ...s, reason: 'audit' })),
    );
    return answer;
  }

  async accessLog(caller: AuditCaller, ref: string): Promise<{ childId: string; entries: AccessLogEntry[] }> {
    const now = this.clock();
    const { childId, members } = await this.child(ref);
    const [records, accesses] = await Promise.all([
      this.history.records(members),
      this.history.accesses(members),
    ]);
    if (records.length === 0) throw this.notHeld();
    const scope = await this.scope(caller, { childId, members, ref, view: 'access-log' }, records, now);
    const entries = readsInScope(scope, accessLogOf(accesses));
    const keys = new Set(entries.map((e) => e.event));
    await this.record(
      { caller, now, view: 'access-log', childId, ref, ...reported(scope) },
      audited(accesses.filter(({ event }) => keys.has(eventKey(event.source, event.id)))),
    );
    return { childId, entries };
  }

  async subjectAccessExport(caller: AuditCaller, ref: string): Promise<SubjectAccessExport> {
    const now = this.clock();
    const { childId, members } = await this.child(ref);
    const [records, accesses] = await Promise.all([
      this.history.records(members),
      this.history.accesses(members),
    ]);
    if (records.length === 0) throw this.notHeld();
    const view = 'subject-access-export';
    const scope = await this.scope(caller, { childId, members, ref, view }, records, now);
    const held = recordsInScope(scope, records);
    const log = readsInScope(scope, accessLogOf(accesses));
    const keys = new Set(log.map((e) => e.event));
    const sar = subjectAccessExport({ childId, members, now, caller, records: held, accessLog: log });
    await this.record({ caller, now, view, childId, ref, ...reported(scope) }, [
      ...audited(held),
      ...audited(accesses.filter(({ event }) => keys.has(eventKey(event.source, event.id)))),
    ]);
    return sar;
  }

  /** The child as linked now (merges, births): reads cover every hub child id recorded as them. */
  private async child(ref: string): Promise<{ childId: string; members: string[] }> {
    const childId = await this.children.resolve(ref);
    return { childId, members: await this.children.membersOf(childId) };
  }

  /** The same answer as for a child the hub never heard of: a child outside the caller's case is one. */
  private notHeld(): JigsawError {
    return new JigsawError(ErrorCode.ChildNotFound, 'no child with that identifier is known to the hub');
  }

  /**
   * How far the caller reaches into this child's case; when not at all, the refusal is recorded in the
   * child's access stream and the answer is the unknown child's.
   */
  async scope(
    caller: AuditCaller,
    read: { childId: string; members: string[]; ref: string; view: AuditView },
    records: readonly StoredEvent[],
    now: Date,
  ): Promise<AuditScope> {
    const [relationships, reviews] = await Promise.all([
      this.relationships(
        read.members,
        records.map((stored) => stored.event),
      ),
      this.history.reviews(read.members),
    ]);
    const scope = auditScopeOf(
      caller,
      { relationships, reviews: reviewsOf(reviews.map((stored) => stored.event)) },
      now,
    );
    if (scope) return scope;
    const { childId, ref, view } = read;
    await this.record({ caller, now, view, childId, ref, refused: 'no-relationship' }, []);
    throw this.notHeld();
  }

  async record(
    read: {
      caller: AuditCaller;
      now: Date;
      view: AuditView;
      childId: string;
      ref: string;
      asKnownAt?: AuditAccessedData['asKnownAt'];
      reportedTo?: readonly string[];
      refused?: 'no-relationship';
    },
    shown: AuditShownRecord[],
  ): Promise<void> {
    const lookup: ChildLookup = UUID.test(read.ref) ? 'hub-child-id' : 'nhs-number';
    const { ref: _ref, ...rest } = read;
    const event = auditAccessed({ id: `audit-${randomUUID()}`, lookup, ...rest }, shown);
    // Reported (`reportedTo`): the view follows the access streams into those organisations' inbox.
    await this.log.record(event);
  }
}
