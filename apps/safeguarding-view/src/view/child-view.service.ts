import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { eventKeyOf } from '@jigsaw/projection';
import { readsMinimalFlag, type Viewer } from '@jigsaw/sharing';
import type { EventStore } from '@jigsaw/event-store';
import {
  AccessLog,
  accessStreamOf,
  careStatuses,
  ChildHistory,
  cpIsFlagLookedUp,
  recordAccessed,
} from '@jigsaw/view-model';
import { ChildAccessGate } from '../children/child-access.gate.js';
import { lookupOf } from '../chronology/chronology.reads.js';
import { ACCESS_EVENT_STORE } from './access-publishing.js';
import { childViewFor, cpisFlagFor, heldCareStatuses, type ChildView, type CpisFlag } from './child-view.js';

/**
 * Reads a child's view: one indexed read of the child's events, the fold for this viewer, and the
 * access record of exactly what it rests on, appended before the answer leaves.
 */
@Injectable()
export class ChildViewService {
  constructor(
    private readonly gate: ChildAccessGate,
    private readonly accessLog: AccessLog,
    @Inject(ACCESS_EVENT_STORE) private readonly lookups: EventStore,
  ) {}

  async read(ref: string, viewer: Viewer, now: Date = new Date()): Promise<ChildView> {
    // Every hub child id linked into this child: merged records read as one child's.
    const { childId, rows, access } = await this.gate.reachRef(ref, viewer, 'child-view', now);
    const { view, shown } = childViewFor(viewer, childId, rows, now, access);
    await this.accessLog.record(
      recordAccessed(
        { id: `access-${randomUUID()}`, now, viewer, view: 'child-view', childId, lookup: lookupOf(ref) },
        shown,
      ),
    );
    return view;
  }

  /**
   * The CP-IS flag for a viewer with no relationship with the child. Unscheduled care reads the minimal
   * flag of any child, as in CP-IS; each look-up that finds a flag is recorded and tells the responsible
   * council when and where. Anyone else learns only that they may not see: never a false `not-flagged`,
   * and nothing that tells a known child from an unknown one.
   */
  async flagWithoutRelationship(
    nhsNumber: string,
    viewer: Viewer,
    now: Date = new Date(),
  ): Promise<CpisFlag> {
    if (!readsMinimalFlag(viewer)) return { state: 'not-visible' };
    const found = await this.gate.reachableChild(nhsNumber);
    if (!found) return { state: 'not-flagged' };
    const { childId, rows } = found;
    const flag = cpisFlagFor(viewer, heldCareStatuses(rows, new Set()), now, () => ({
      state: 'not-visible',
    }));
    if (flag.state !== 'flagged' || !flag.council) return flag;
    const history = new ChildHistory(rows.map((row) => row.event));
    // The council to call is told; the look-up shows no record, only the status.
    const statuses = careStatuses(history).filter((s) => s.council === flag.council!.organisation);
    const accessId = `access-${randomUUID()}`;
    // The read's record and the look-up the notifications service tells the council of are one append:
    // both or neither. Only the look-up is published (hub.access).
    await this.lookups.append(
      accessStreamOf(childId),
      [
        recordAccessed({ id: accessId, now, viewer, view: 'cp-is-flag', childId, lookup: 'nhs-number' }, []),
        cpIsFlagLookedUp({
          accessId,
          now,
          viewer,
          childId,
          council: flag.council.organisation,
          statuses,
          triggerEventKey: statuses[0]?.events[0] ?? eventKeyOf(rows[0]!.event),
        }),
      ],
      // Reads of one child never conflict with each other, so no expected version.
      { expectedVersion: 'any' },
    );
    return flag;
  }
}
