import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '@jigsaw/database';
import { PG_POOL } from '@jigsaw/platform';
import type { Viewer } from '@jigsaw/sharing';
import { AccessLog } from '../access/access-log.js';
import { recordAccessed } from '../access/record-accessed.event.js';
import { ChildRefResolver } from '../children/child-ref.js';
import { lookupOf, readChildRows } from '../chronology/chronology.reads.js';
import { VIEW_SCHEMA } from '../view-schema.js';
import { childViewFor, type ChildView } from './child-view.js';

/**
 * Reads a child's view: one indexed read of the child's events, the fold for this viewer, and the
 * access record of exactly what it rests on, appended before the answer leaves.
 */
@Injectable()
export class ChildViewService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly children: ChildRefResolver,
    private readonly accessLog: AccessLog,
  ) {}

  async read(ref: string, viewer: Viewer, now: Date = new Date()): Promise<ChildView> {
    const childId = await this.children.resolve(ref);
    // Every hub child id linked into this child: merged records read as one child's.
    const rows = await readChildRows(this.pool, VIEW_SCHEMA, await this.children.membersOf(childId));
    const { view, shown } = childViewFor(viewer, childId, rows, now);
    await this.accessLog.record(
      recordAccessed(
        { id: `access-${randomUUID()}`, now, viewer, view: 'child-view', childId, lookup: lookupOf(ref) },
        shown,
      ),
    );
    return view;
  }
}
