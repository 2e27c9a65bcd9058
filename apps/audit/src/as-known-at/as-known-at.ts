import { agencyOfSource, PURPOSES, ROLES, type Agency, type Purpose, type Role } from '@jigsaw/envelope';
import { ErrorCode, JigsawError, type FieldProblem } from '@jigsaw/errors';
import type { StoredEvent } from '@jigsaw/event-store';
import { eventKeyOf } from '@jigsaw/projection';
import {
  decideChildAccess,
  decideVisibility,
  eventKey,
  foldRelationships,
  foldSharingLedger,
  isControlEvent,
  SHARING_DECLINED_ACTION,
  sharingStateIn,
  type Viewer,
  type VisibilityReason,
} from '@jigsaw/sharing';
import {
  type ShownRecord,
  claimOf,
  chronologyFor,
  type ChronologyEntry,
  type ChronologyRow,
  occurredAtOf,
  isAgencyRecord,
} from '@jigsaw/view-model';

/** Whose view to reconstruct, and when. */
export interface AsKnownAtQuery {
  viewer: Viewer;
  at: Date;
}

/** A record the viewer could not see at that moment, and the sharing policy's reason. */
export interface WithheldRecord {
  event: string;
  source: string;
  type: string;
  recordedAt: string;
  reason: VisibilityReason;
}

export interface AsKnownAt {
  childId: string;
  at: string;
  viewer: { organisation: string; agency: Agency; role: Role; purpose: Purpose };
  /** What the viewer's chronology showed at `at`, cut exactly as the live view cut it then. */
  entries: ChronologyEntry[];
  withheld: WithheldRecord[];
  /** Records the hub holds now that it had not recorded by `at`. */
  recordedLater: number;
}

const ORGANISATION = /^urn:jigsaw:org:(council|police|health|education):[a-z0-9][a-z0-9-]*$/;
/** A full ISO 8601 date-time with its offset: a moment, never a local time open to guesswork. */
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** The moment a date-time names, or NaN; Date.parse alone would take 30 February as 2 March. */
export function momentOf(value: string): number {
  const m = DATE_TIME.exec(value);
  if (!m) return NaN;
  const [year, month, day, hour, minute, second = '0', offsetHours = '0', offsetMinutes = '0'] = m
    .slice(1)
    .map((part) => part ?? undefined);
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const valid =
    date.getUTCMonth() === Number(month) - 1 &&
    date.getUTCDate() === Number(day) &&
    Number(hour) < 24 &&
    Number(minute) < 60 &&
    Number(second) < 60 &&
    Number(offsetHours) < 24 &&
    Number(offsetMinutes) < 60;
  return valid ? Date.parse(value) : NaN;
}

function single(query: Readonly<Record<string, unknown>>, field: string, problems: FieldProblem[]) {
  const value = query[field];
  if (value === undefined || value === '') {
    problems.push({ field, reason: 'is required' });
    return undefined;
  }
  if (typeof value !== 'string') {
    problems.push({ field, reason: 'must be given once' });
    return undefined;
  }
  return value;
}

/** Reads `viewer` (an organisation), `role`, `purpose` and `at` from a query, naming every bad field. */
export function parseAsKnownAtQuery(query: Readonly<Record<string, unknown>>, now: Date): AsKnownAtQuery {
  const problems: FieldProblem[] = [];
  const organisation = single(query, 'viewer', problems);
  if (organisation !== undefined && !ORGANISATION.test(organisation)) {
    problems.push({
      field: 'viewer',
      reason: 'must be an organisation, urn:jigsaw:org:<council|police|health|education>:<code>',
    });
  }
  const role = single(query, 'role', problems);
  if (role !== undefined && !(ROLES as readonly string[]).includes(role)) {
    problems.push({ field: 'role', reason: `must be one of ${ROLES.join(', ')}` });
  }
  const purpose = single(query, 'purpose', problems);
  if (purpose !== undefined && !(PURPOSES as readonly string[]).includes(purpose)) {
    problems.push({ field: 'purpose', reason: `must be one of ${PURPOSES.join(', ')}` });
  }
  const at = single(query, 'at', problems);
  const moment = at === undefined ? NaN : momentOf(at);
  if (at !== undefined && Number.isNaN(moment)) {
    problems.push({
      field: 'at',
      reason: 'must be an ISO 8601 date-time with an offset, e.g. 2026-11-21T08:00:00Z',
    });
  } else if (at !== undefined && moment > now.getTime()) {
    problems.push({ field: 'at', reason: 'must not be in the future' });
  }
  const unique = [...new Map(problems.map((p) => [p.field, p])).values()];
  if (unique.length > 0) {
    throw new JigsawError(
      ErrorCode.ValidationFailed,
      `invalid input: ${unique.map((p) => p.field).join(', ')}`,
      unique,
    );
  }
  return {
    viewer: {
      agency: agencyOfSource(organisation!) as Agency,
      organisation: organisation!,
      role: role as Role,
      purpose: purpose as Purpose,
      userId: 'as-known-at',
    },
    at: new Date(moment),
  };
}

function occurredAt(stored: StoredEvent): Date {
  const at = new Date(occurredAtOf(stored.event));
  return Number.isNaN(at.getTime()) ? new Date(stored.event.time) : at;
}

/** Records shown as entries in a chronology; control events show only through the records they change. */
function isEntry(type: string): boolean {
  return !isControlEvent(type) || type.endsWith(`.${SHARING_DECLINED_ACTION}`);
}

/** Rows in the order the hub recorded them. */
function ledgerOrder(rows: readonly ChronologyRow[]): ChronologyRow[] {
  return [...rows].sort(
    (a, b) =>
      a.recordedAt.getTime() - b.recordedAt.getTime() ||
      eventKey(a.event.source, a.event.id).localeCompare(eventKey(b.event.source, b.event.id)),
  );
}

/**
 * What the viewer could see of the child at `at`: the records the store had recorded by then (its own
 * recorded time, not when things happened), with the sharing ledger folded only that far and `until`
 * judged at `at`, through the live view's own function.
 */
export function asKnownAt(
  childId: string,
  { viewer, at }: AsKnownAtQuery,
  history: readonly StoredEvent[],
  claimed: readonly StoredEvent[] = [],
): { answer: AsKnownAt; shown: ShownRecord[] } {
  const records = history.filter((stored) => isAgencyRecord(stored.event));
  const known = records.filter((stored) => stored.recordedAt.getTime() <= at.getTime());
  const rows: ChronologyRow[] = known
    .map((stored) => ({ occurredAt: occurredAt(stored), recordedAt: stored.recordedAt, event: stored.event }))
    .sort(
      (a, b) =>
        a.occurredAt.getTime() - b.occurredAt.getTime() ||
        eventKeyOf(a.event).localeCompare(eventKeyOf(b.event)),
    );
  // The viewer's relationship with the child as the records known at `at` made it, or a claim then live.
  const claims = claimed
    .filter((stored) => stored.recordedAt.getTime() <= at.getTime())
    .flatMap((stored) => claimOf(stored.event) ?? [])
    // The reconstructed viewer stands for its organisation and role: a claim by anyone there counts.
    .map((claim) => ({ ...claim, userId: viewer.userId }));
  const relationships = foldRelationships(ledgerOrder(rows).map((row) => row.event));
  const access = decideChildAccess(viewer, { relationships, claims }, at);
  const { entries, shown } = chronologyFor(viewer, rows, at, access);

  const seen = new Set(shown.map((s) => s.event));
  // Folded in the order chronologyFor folds it, so both judge each record by the same state.
  const ledger = foldSharingLedger(ledgerOrder(rows).map((row) => row.event));
  const withheld: WithheldRecord[] = [];
  for (const { event, recordedAt } of rows) {
    const key = eventKey(event.source, event.id);
    if (!isEntry(event.type) || seen.has(key)) continue;
    const state = sharingStateIn(ledger, key);
    if (!state) continue;
    const decision = decideVisibility(viewer, event, state, at, access);
    withheld.push({
      event: key,
      source: event.source,
      type: event.type,
      recordedAt: recordedAt.toISOString(),
      reason: decision.reason,
    });
  }

  const { organisation, agency, role, purpose } = viewer;
  return {
    answer: {
      childId,
      at: at.toISOString(),
      viewer: { organisation, agency, role, purpose },
      entries,
      withheld,
      recordedLater: records.length - known.length,
    },
    shown,
  };
}
