import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '@jigsaw/database';
import type { RecordedEvent } from '@jigsaw/envelope';
import type { EventStore, StoredEvent } from '@jigsaw/event-store';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import { EVENT_STORE, PG_POOL, type ConfiguredEventStore } from '@jigsaw/platform';
import {
  decideChildAccess,
  type AccessClaim,
  type ChildAccess,
  type Relationships,
  type Review,
  type Viewer,
} from '@jigsaw/sharing';
import { counter } from '@jigsaw/telemetry';
import {
  AccessLog,
  readerOf,
  recordAccessed,
  type AccessView,
  type ChildLookup,
  type ChronologyRow,
  VIEW_SCHEMA,
  ChildRefResolver,
  retiredNumber,
  accessClaimsStreamOf,
  claimOf,
  relationshipsOf,
  reviewsOf,
  reviewsStreamOf,
} from '@jigsaw/view-model';
import { lookupOf, readChildRows, type PositionedRow } from '../chronology/chronology.reads.js';

/** What every request naming a child the viewer may not reach gets: the answer for a child never heard of. */
export function unknownChild(): JigsawError {
  return new JigsawError(ErrorCode.ChildNotFound, 'no child with that identifier is known to the hub');
}

/**
 * Reads that found no child this viewer may reach, by organisation only (never by practitioner, so the
 * metric names nobody): trawling shows as a rising line, and the security log says who.
 */
const misses = counter<'organisation'>({
  name: 'jigsaw_child_reads_refused_total',
  help: 'Reads of a child unknown to the hub or with whom the organisation has no relationship',
  labelNames: ['organisation'],
});

/** A child the viewer reaches, with every row it has (all linked hub ids) and how the viewer reaches it. */
export interface ReachedChild {
  childId: string;
  members: string[];
  /** In the chronology's order, each with its position in it. */
  rows: PositionedRow[];
  access: Exclude<ChildAccess, 'none'>;
}

/**
 * The legitimate-relationship gate in front of every read of a child. It reads the child's history, the
 * notifications addressed about it and the self-claims on it, lets the sharing library decide how the
 * viewer reaches the child, and, when they do not, records the refusal and answers as for an unknown
 * child. An unknown child takes the same reads (of nothing), so the two answers also take alike.
 */
@Injectable()
export class ChildAccessGate {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: ConfiguredEventStore,
    private readonly accessLog: AccessLog,
    private readonly children: ChildRefResolver,
  ) {}

  /**
   * The child `ref` (an NHS number or a hub child id) names, as this viewer reaches it; else the
   * unknown-child 404, whether the hub does not know the child or the viewer has no relationship with it.
   * Only a viewer who reaches the child learns that the number they used was retired (an adoption).
   */
  async reachRef(ref: string, viewer: Viewer, view: AccessView, now: Date): Promise<ReachedChild> {
    const lookup: ChildLookup = lookupOf(ref);
    return this.reachResolved(await this.children.namedWithMembers(ref), viewer, view, lookup, now);
  }

  /** As `reachRef`, for a child already looked up by an identifier (`named` undefined: nobody). */
  async reachNamed(
    named: { childId: string; retired: boolean } | undefined,
    viewer: Viewer,
    view: AccessView,
    lookup: ChildLookup,
    now: Date,
  ): Promise<ReachedChild> {
    const resolved = named && {
      ...(await this.children.canonicalWithMembers(named.childId)),
      retired: named.retired,
    };
    return this.reachResolved(resolved, viewer, view, lookup, now);
  }

  private async reachResolved(
    named: { childId: string; members: string[]; retired: boolean } | undefined,
    viewer: Viewer,
    view: AccessView,
    lookup: ChildLookup,
    now: Date,
  ): Promise<ReachedChild> {
    const { childId, members } = named ?? { childId: undefined, members: [] };
    const reached = await this.reach(viewer, { childId, members, view, lookup }, now);
    if (named?.retired) throw retiredNumber();
    return reached;
  }

  /**
   * The child an NHS number names now, with all its rows, whatever the viewer's relationship: only for a
   * named rule that reads a child without one (the CP-IS minimal flag). Undefined for a number the hub
   * does not know, a retired number, or a child nobody recorded anything about.
   */
  async reachableChild(nhsNumber: string): Promise<{ childId: string; rows: ChronologyRow[] } | undefined> {
    const named = await this.children.named(nhsNumber);
    if (!named || named.retired) return undefined;
    const childId = await this.canonicalOf(named.childId);
    const rows = await readChildRows(this.pool, VIEW_SCHEMA, await this.membersOf(childId));
    return rows.length > 0 ? { childId, rows } : undefined;
  }

  /** The child, or the unknown-child error; `childId` undefined is a child the hub does not know. */
  async reach(
    viewer: Viewer,
    read: { childId: string | undefined; members: readonly string[]; view: AccessView; lookup: ChildLookup },
    now: Date,
  ): Promise<ReachedChild> {
    const { rows, access } = await this.accessOf(viewer, read.members, now);
    // A hub child id nobody ever recorded anything under is a child the hub does not know.
    if (read.childId === undefined || access === 'none' || rows.length === 0) {
      misses.inc({ organisation: viewer.organisation });
      if (read.childId === undefined || rows.length === 0) {
        await this.securityLog(viewer, read.view, read.lookup, now);
      } else {
        await this.accessLog.record(
          recordAccessed(
            {
              id: `access-${randomUUID()}`,
              now,
              viewer,
              view: read.view,
              childId: read.childId,
              lookup: read.lookup,
              refused: 'no-relationship',
            },
            [],
          ),
        );
      }
      throw unknownChild();
    }
    return { childId: read.childId, members: [...read.members], rows, access };
  }

  /**
   * Records, in the viewer's organisation's security log, a read or claim that named a child the hub does
   * not know: who, when, for what, through which view and by which kind of identifier, never the value.
   */
  async securityLog(viewer: Viewer, view: string, lookup: string, now: Date): Promise<void> {
    await this.pool.query(
      `INSERT INTO "${VIEW_SCHEMA}".security_log (id, organisation, at, viewer, purpose, view, lookup)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        randomUUID(),
        viewer.organisation,
        now,
        JSON.stringify(readerOf(viewer)),
        viewer.purpose,
        view,
        lookup,
      ],
    );
  }

  /** How the viewer reaches the child whose linked hub ids are `members` (none: a child nobody knows). */
  async accessOf(
    viewer: Viewer,
    members: readonly string[],
    now: Date,
  ): Promise<{ rows: PositionedRow[]; access: ChildAccess }> {
    const [{ rows, relationships }, { claims, reviews }] = await Promise.all([
      this.relationshipsOf(members),
      this.claimsAndReviews(members),
    ]);
    return { rows, access: decideChildAccess(viewer, { relationships, claims, reviews }, now) };
  }

  /** The child's rows and every organisation's relationship with it, from its records and notifications. */
  async relationshipsOf(
    members: readonly string[],
  ): Promise<{ rows: PositionedRow[]; relationships: Relationships }> {
    const rows = await readChildRows(this.pool, VIEW_SCHEMA, members);
    const history = [...rows]
      .sort((a, b) => a.recordedAt.getTime() - b.recordedAt.getTime())
      .map((row) => row.event);
    return { rows, relationships: await relationshipsOf(this.pool, members, history) };
  }

  canonicalOf(childId: string): Promise<string> {
    return this.children.canonicalOf(childId);
  }

  membersOf(childId: string): Promise<string[]> {
    return this.children.membersOf(childId);
  }

  /** The self-claims on the child and its reviews: each member's two streams, in one read where the store can. */
  private async claimsAndReviews(
    members: readonly string[],
  ): Promise<{ claims: AccessClaim[]; reviews: Review[] }> {
    const claimStreams = members.map(accessClaimsStreamOf);
    const reviewStreams = members.map(reviewsStreamOf);
    const streams = await this.readStreams([...claimStreams, ...reviewStreams]);
    const eventsOf = (ids: readonly string[]): RecordedEvent[] =>
      ids.flatMap((id) => streams.get(id) ?? []).map(({ event }) => event);
    return {
      claims: eventsOf(claimStreams).flatMap((event) => claimOf(event) ?? []),
      reviews: reviewsOf(eventsOf(reviewStreams)),
    };
  }

  private async readStreams(ids: readonly string[]): Promise<Map<string, StoredEvent[]>> {
    const store: EventStore = this.store;
    if (store.readStreams) return store.readStreams(ids);
    const streams = await Promise.all(ids.map((id) => store.readStream(id)));
    return new Map(ids.map((id, i) => [id, streams[i]!]));
  }
}
