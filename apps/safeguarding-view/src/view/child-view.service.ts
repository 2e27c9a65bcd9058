import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Viewer } from '@jigsaw/sharing';
import { AccessLog, recordAccessed } from '@jigsaw/view-model';
import { ChildAccessGate } from '../children/child-access.gate.js';
import { lookupOf } from '../chronology/chronology.reads.js';
import { childViewFor, type ChildView } from './child-view.js';

/**
 * Reads a child's view: one indexed read of the child's events, the fold for this viewer, and the
 * access record of exactly what it rests on, appended before the answer leaves.
 */
@Injectable()
export class ChildViewService {
  constructor(
    private readonly gate: ChildAccessGate,
    private readonly accessLog: AccessLog,
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
}
