import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '@jigsaw/envelope';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import type { StoredEvent } from '@jigsaw/event-store';
import { eventKey } from '@jigsaw/sharing';
import type { ChildLookup } from '@jigsaw/view-model';
import {
  auditAccessed,
  type AuditAccessedData,
  type AuditShownRecord,
  type AuditView,
} from './access/audit-accessed.event.js';
import { accessLogOf, type AccessLogEntry } from './access-log/access-log.js';
import { asKnownAt, parseAsKnownAtQuery, type AsKnownAt } from './as-known-at/as-known-at.js';
import type { AuditCaller } from './auth/audit-caller.js';
import { councilsOf, requireCustodian } from './auth/audit-policy.js';
import type { ChildHistory } from './history/child-history.js';
import { subjectAccessExport, type SubjectAccessExport } from './subject-access/subject-access-export.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The view's child references: a ref to the child it names now, and every hub child id linked into it. */
export interface ChildRefs {
  resolve(ref: string): Promise<string>;
  membersOf(childId: string): Promise<string[]>;
}

export interface AccessRecorder {
  record(event: RecordedEvent): Promise<void>;
}

function audited(events: readonly StoredEvent[]): AuditShownRecord[] {
  return events.map(({ event }) => ({
    event: eventKey(event.source, event.id),
    level: 'full',
    reason: 'audit',
    lawfulBasis: event.sharing.basis.lawfulBasis,
    regime: event.sharing.basis.regime,
  }));
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
    const { answer, shown } = asKnownAt(childId, parsed, records, claims);
    const { at, viewer } = answer;
    await this.record(
      { caller, now, view: 'as-known-at', childId, ref, asKnownAt: { at, viewer } },
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
    if (records.length === 0 && accesses.length === 0) throw this.notHeld();
    requireCustodian(caller, councilsOf(records), "a child's access log");
    await this.record({ caller, now, view: 'access-log', childId, ref }, audited(accesses));
    return { childId, entries: accessLogOf(accesses) };
  }

  async subjectAccessExport(caller: AuditCaller, ref: string): Promise<SubjectAccessExport> {
    const now = this.clock();
    const { childId, members } = await this.child(ref);
    const [records, accesses] = await Promise.all([
      this.history.records(members),
      this.history.accesses(members),
    ]);
    if (records.length === 0 && accesses.length === 0) throw this.notHeld();
    requireCustodian(caller, councilsOf(records), 'a subject access export');
    const sar = subjectAccessExport({
      childId,
      members,
      now,
      caller,
      records,
      accessLog: accessLogOf(accesses),
    });
    await this.record({ caller, now, view: 'subject-access-export', childId, ref }, [
      ...audited(records),
      ...audited(accesses),
    ]);
    return sar;
  }

  /** The child as linked now (merges, births): reads cover every hub child id recorded as them. */
  private async child(ref: string): Promise<{ childId: string; members: string[] }> {
    const childId = await this.children.resolve(ref);
    return { childId, members: await this.children.membersOf(childId) };
  }

  private notHeld(): JigsawError {
    return new JigsawError(ErrorCode.ChildNotFound, 'the hub holds nothing about that child');
  }

  private async record(
    read: {
      caller: AuditCaller;
      now: Date;
      view: AuditView;
      childId: string;
      ref: string;
      asKnownAt?: AuditAccessedData['asKnownAt'];
    },
    shown: AuditShownRecord[],
  ): Promise<void> {
    const lookup: ChildLookup = UUID.test(read.ref) ? 'hub-child-id' : 'nhs-number';
    const { ref: _ref, ...rest } = read;
    await this.log.record(auditAccessed({ id: `audit-${randomUUID()}`, lookup, ...rest }, shown));
  }
}
