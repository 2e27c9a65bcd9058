import { expect } from '@jest/globals';
import type { Pool } from '@jigsaw/database';
import type { JigsawEnvelope } from '@jigsaw/envelope';
import { agencySystemToken } from '@jigsaw/testing';
import {
  aPupilOnRoll,
  type TestChild,
} from '../../apps/notifications/src/testing/notification-events.factory.js';
import { eventually, getJson, postEvent } from './http.js';
import type { ServiceProcess } from './service-process.js';

/** Posts an agency's event as its system would, and expects it accepted. */
export async function postAccepted(service: ServiceProcess, envelope: JigsawEnvelope): Promise<void> {
  const response = await postEvent(`${service.url}/v1/events`, envelope, {
    authorization: `Bearer ${agencySystemToken(envelope.source)}`,
  });
  expect(response).toMatchObject({ status: 202 });
}

/**
 * Puts the child on Hillside's roll and waits until the view and the notifications service know it, so an
 * incident can be routed; the child's hub id is then the view's.
 */
export async function putOnRoll(
  education: ServiceProcess,
  view: ServiceProcess,
  asDsl: Record<string, string>,
  child: TestChild,
  pool: Pool,
): Promise<void> {
  await postAccepted(education, aPupilOnRoll(child, { onRollFrom: '2021-09-01' }));
  await eventually(
    async () => {
      const r = await getJson<{ childId: string; entries: unknown[] }>(
        `${view.url}/v1/children/${child.nhsNumber}/chronology?purpose=safeguarding`,
        asDsl,
      );
      if (r.status !== 200 || r.body.entries.length === 0) return undefined;
      child.childid = r.body.childId;
      return true;
    },
    30_000,
    'the roll in the view',
  );
  // The notifications' own consumer applies the agency topics at its own pace.
  await eventually(
    async () =>
      (
        await pool.query('SELECT 1 FROM notifications.child_history WHERE child_id = $1 LIMIT 1', [
          child.childid,
        ])
      ).rows.length > 0 || undefined,
    30_000,
    'the roll in the notifications',
  );
}

/** A notification's webhook delivery, from the notifications' work-queue. */
export async function deliveryOf(
  pool: Pool,
  notificationId: string,
): Promise<{ id: string; status: string; attempts: number } | undefined> {
  const { rows } = await pool.query<{ id: string; status: string; attempts: number }>(
    'SELECT id, status, attempts FROM "notifications".notification_deliveries WHERE notification_id = $1',
    [notificationId],
  );
  return rows[0];
}
