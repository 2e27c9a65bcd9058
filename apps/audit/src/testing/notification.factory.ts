import { randomUUID } from 'node:crypto';
import {
  decideNotification,
  foldNotification,
  initialNotificationState,
  type NotificationEvent,
} from '@jigsaw/view-model';

const SCHOOL = 'urn:jigsaw:org:education:school-100001';

/**
 * An Operation Encompass notification about `childId`, raised with its webhook delivery to a school and
 * then acknowledged there, as the notifications' decider tells it: its id and its stream's events.
 */
export function anAcknowledgedNotification(
  childId: string,
  triggerEventKey: string,
): { notificationId: string; events: NotificationEvent[] } {
  const notificationId = randomUUID();
  const raised = decideNotification(initialNotificationState, {
    type: 'raise',
    now: new Date(),
    notificationId,
    deliveryId: randomUUID(),
    notification: {
      dedupeKey: `operation-encompass|${notificationId}`,
      kind: 'operation-encompass',
      childId,
      triggerEventKey,
      recipient: { organisation: SCHOOL, agency: 'education' },
      route: 'school-roll',
      details: {},
      dueAt: new Date(Date.now() + 86_400_000),
    },
  });
  const acknowledged = decideNotification(foldNotification(raised), {
    type: 'acknowledge',
    now: new Date(),
    by: { sub: 'dsl-1', role: 'designated-safeguarding-lead', organisation: SCHOOL },
  });
  return { notificationId, events: [...raised, ...acknowledged] };
}
