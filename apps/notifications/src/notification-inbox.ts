import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '@jigsaw/database';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import { PG_POOL } from '@jigsaw/platform';
import type { Viewer } from '@jigsaw/sharing';
import {
  AccessLog,
  recordAccessed,
  type Acknowledger,
  type NotificationKind,
  type NotificationStatus,
  type ShownRecord,
} from '@jigsaw/view-model';
import { ChildHistoryReader } from './child-history.js';
import type { ChildHistory, Queryable } from '@jigsaw/view-model';
import { CLOCK, type Clock } from './clock.js';
import { NotificationCommands } from './notification-commands.js';
import {
  findNotification,
  inSchema,
  NOTIFICATIONS_SCHEMA,
  recordOf,
  type NotificationRow,
} from './notification-store.js';
import { notificationFor, type NotificationView } from './notification-view.js';

export interface InboxQuery {
  status?: NotificationStatus;
  kind?: NotificationKind;
  limit: number;
  cursor?: string;
}

export interface InboxPage {
  notifications: NotificationView[];
  /** Pass as `cursor` for the next page; absent on the last. */
  nextCursor?: string;
}

export interface Acknowledgement {
  notificationId: string;
  acknowledgedAt: string;
  acknowledgedBy: Acknowledger;
  /** True when it had been acknowledged before: the first acknowledgement stands. */
  repeated: boolean;
}

interface Cursor {
  createdAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Rows are read a page at a time until the page is full of what the reader may see, at most this often. */
const MAX_ROUNDS = 5;

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt.toISOString(), cursor.id])).toString('base64url');
}

function decodeCursor(cursor: string): Cursor {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const at = new Date(createdAt);
    if (!Number.isNaN(at.getTime()) && UUID.test(id)) return { createdAt: at, id };
  } catch {
    // falls through to the problem below
  }
  throw new JigsawError(ErrorCode.ValidationFailed, 'invalid input: cursor', [
    { field: 'cursor', reason: 'must be a nextCursor from an earlier page' },
  ]);
}

function notFound(): JigsawError {
  return new JigsawError(ErrorCode.NotFound, 'no such notification for this organisation', [
    { field: 'id', reason: 'names no notification this practitioner may see' },
  ]);
}

/**
 * Each organisation's inbox. A practitioner sees their organisation's notifications about events they
 * may see themselves, cut to what they may see; every page read is recorded in the access log, one
 * record per child, before the page leaves.
 */
@Injectable()
export class NotificationInbox {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(NOTIFICATIONS_SCHEMA) private readonly schema: string,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly children: ChildHistoryReader,
    private readonly accessLog: AccessLog,
    private readonly commands: NotificationCommands,
  ) {}

  async page(viewer: Viewer, query: InboxQuery): Promise<InboxPage> {
    const now = this.clock.now();
    let after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const shownByChild = new Map<string, ShownRecord[]>();
    const { notifications, more } = await inSchema(this.pool, this.schema, async (tx) => {
      const histories = new Map<string, ChildHistory>();
      const found: NotificationView[] = [];
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const rows = await this.rows(tx, viewer.organisation, query, now, after);
        const unread = rows.map((r) => r.child_id).filter((id) => !histories.has(id));
        for (const [childId, history] of await this.children.readMany(tx, unread))
          histories.set(childId, history);
        for (const row of rows) {
          const record = recordOf(row);
          const history = histories.get(record.childId)!;
          after = { createdAt: row.created_at, id: row.id };
          const seen = notificationFor(viewer, record, history, now);
          if (!seen) continue;
          found.push(seen.view);
          shownByChild.set(record.childId, [...(shownByChild.get(record.childId) ?? []), ...seen.shown]);
          if (found.length === query.limit) return { notifications: found, more: true };
        }
        if (rows.length < query.limit) return { notifications: found, more: false };
      }
      return { notifications: found, more: true };
    });
    // Each child's read on its own stream: recorded side by side, all before the page leaves.
    await Promise.all(
      [...shownByChild].map(([childId, shown]) =>
        this.accessLog.record(
          recordAccessed(
            { id: `access-${randomUUID()}`, now, viewer, view: 'notifications', childId },
            shown,
          ),
        ),
      ),
    );
    return {
      notifications,
      ...(more && after ? { nextCursor: encodeCursor(after) } : {}),
    };
  }

  private async rows(
    tx: Queryable,
    organisation: string,
    query: InboxQuery,
    now: Date,
    after: Cursor | undefined,
  ): Promise<NotificationRow[]> {
    const conditions = ['recipient_organisation = $1'];
    const params: unknown[] = [organisation];
    const param = (value: unknown): string => `$${params.push(value)}`;
    if (query.kind) conditions.push(`kind = ${param(query.kind)}`);
    if (query.status === 'acknowledged') conditions.push('acknowledged_at IS NOT NULL');
    if (query.status === 'open') {
      conditions.push(`acknowledged_at IS NULL AND (due_at IS NULL OR due_at > ${param(now)})`);
    }
    if (query.status === 'overdue') conditions.push(`acknowledged_at IS NULL AND due_at <= ${param(now)}`);
    if (after) {
      conditions.push(`(created_at, id) < (${param(after.createdAt)}, ${param(after.id)}::uuid)`);
    }
    const { rows } = await tx.query<NotificationRow>(
      `SELECT * FROM notifications WHERE ${conditions.join(' AND ')}
       ORDER BY created_at DESC, id DESC LIMIT ${param(query.limit)}`,
      params,
    );
    return rows;
  }

  /**
   * Records who acknowledged and when (hub.notification-acknowledged); acknowledging again changes nothing
   * and says so.
   */
  async acknowledge(viewer: Viewer, id: string): Promise<Acknowledgement> {
    if (!UUID.test(id)) {
      throw new JigsawError(ErrorCode.ValidationFailed, 'invalid input: id', [
        { field: 'id', reason: 'must be a notification id (UUID)' },
      ]);
    }
    const now = this.clock.now();
    const visible = await inSchema(this.pool, this.schema, async (tx) => {
      const record = await findNotification(tx, id);
      if (!record) return false;
      const history = await this.children.read(tx, record.childId);
      return notificationFor(viewer, record, history, now) !== undefined;
    });
    if (!visible) throw notFound();
    const by: Acknowledger = { sub: viewer.userId, role: viewer.role, organisation: viewer.organisation };
    const { events, state } = await this.commands.handle(id, { type: 'acknowledge', now, by });
    const first = state.acknowledged!;
    return {
      notificationId: id,
      acknowledgedAt: first.acknowledgedAt,
      acknowledgedBy: first.acknowledgedBy,
      repeated: events.length === 0,
    };
  }
}
