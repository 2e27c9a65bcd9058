import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '@jigsaw/database';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import { EVENT_STORE, PG_POOL, type ConfiguredEventStore } from '@jigsaw/platform';
import {
  decideChildAccess,
  foldRelationships,
  type AccessClaim,
  type ChildAccess,
  type Relationships,
  type Viewer,
} from '@jigsaw/sharing';
import { counter } from '@jigsaw/telemetry';
import {
  AccessLog,
  recordAccessed,
  type AccessView,
  type ChildLookup,
  type ChronologyRow,
  VIEW_SCHEMA,
  ChildRefResolver,
  retiredNumber,
  accessClaimsStreamOf,
  claimOf,
} from '@jigsaw/view-model';
import { lookupOf, readChildRows } from '../chronology/chronology.reads.js';

/** What every request naming a child the viewer may not reach gets: the answer for a child never heard of. */
export function unknownChild(): JigsawError {
  return new JigsawError(ErrorCode.ChildNotFound, 'no child with that identifier is known to the hub');
}

/** Reads that found no child this viewer may reach, by organisation: trawling shows as a rising line. */
const misses = counter<'agency' | 'organisation'>({
  name: 'jigsaw_child_reads_refused_total',
  help: 'Reads of a child unknown to the hub or with whom the organisation has no relationship',
  labelNames: ['agency', 'organisation'],
});

/** A child the viewer reaches, with every row it has (all linked hub ids) and how the viewer reaches it. */
export interface ReachedChild {
  childId: string;
  members: string[];
  rows: ChronologyRow[];
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
    return this.reachNamed(await this.children.named(ref), viewer, view, lookup, now);
  }

  /** As `reachRef`, for a child already looked up by an identifier (`named` undefined: nobody). */
  async reachNamed(
    named: { childId: string; retired: boolean } | undefined,
    viewer: Viewer,
    view: AccessView,
    lookup: ChildLookup,
    now: Date,
  ): Promise<ReachedChild> {
    const { childId, members } = named
      ? await this.children.canonicalWithMembers(named.childId)
      : { childId: undefined, members: [] };
    const reached = await this.reach(viewer, { childId, members, view, lookup }, now);
    if (named?.retired) throw retiredNumber();
    return reached;
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
      misses.inc({ agency: viewer.agency, organisation: viewer.organisation });
      if (read.childId !== undefined && rows.length > 0) {
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

  /** How the viewer reaches the child whose linked hub ids are `members` (none: a child nobody knows). */
  async accessOf(
    viewer: Viewer,
    members: readonly string[],
    now: Date,
  ): Promise<{ rows: ChronologyRow[]; access: ChildAccess }> {
    const [{ rows, relationships }, claims] = await Promise.all([
      this.relationshipsOf(members),
      this.claims(members),
    ]);
    return { rows, access: decideChildAccess(viewer, { relationships, claims }, now) };
  }

  /** The child's rows and every organisation's relationship with it, from its records and notifications. */
  async relationshipsOf(
    members: readonly string[],
  ): Promise<{ rows: ChronologyRow[]; relationships: Relationships }> {
    const [rows, addressed] = await Promise.all([
      readChildRows(this.pool, VIEW_SCHEMA, members),
      this.addressed(members),
    ]);
    const history = [...rows]
      .sort((a, b) => a.recordedAt.getTime() - b.recordedAt.getTime())
      .map((row) => row.event);
    const schools = await this.schools(history.map((e) => (e.data as { schoolUrn?: unknown }).schoolUrn));
    const relationships = foldRelationships(history, { addressed, schoolByUrn: (urn) => schools.get(urn) });
    return { rows, relationships };
  }

  canonicalOf(childId: string): Promise<string> {
    return this.children.canonicalOf(childId);
  }

  membersOf(childId: string): Promise<string[]> {
    return this.children.membersOf(childId);
  }

  private async addressed(members: readonly string[]): Promise<{ organisation: string; at: string }[]> {
    const { rows } = await this.pool.query<{ organisation: string; at: Date }>(
      `SELECT recipient_organisation AS organisation, created_at AS at FROM "${VIEW_SCHEMA}".notifications
       WHERE child_id = ANY($1::uuid[])`,
      [members],
    );
    return rows.map((r) => ({ organisation: r.organisation, at: r.at.toISOString() }));
  }

  private async schools(urns: readonly unknown[]): Promise<Map<string, string>> {
    const named = [...new Set(urns.filter((u): u is string => typeof u === 'string'))];
    // Most children's records name no school: no round trip for them.
    if (named.length === 0) return new Map();
    const { rows } = await this.pool.query<{ urn: string; organisation: string }>(
      `SELECT urn, organisation FROM "${VIEW_SCHEMA}".notification_schools WHERE urn = ANY($1::text[])`,
      [named],
    );
    return new Map(rows.map((r) => [r.urn, r.organisation]));
  }

  private async claims(members: readonly string[]): Promise<AccessClaim[]> {
    const streams = await Promise.all(members.map((id) => this.store.readStream(accessClaimsStreamOf(id))));
    return streams.flat().flatMap(({ event }) => claimOf(event) ?? []);
  }
}
