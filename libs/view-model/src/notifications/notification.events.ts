import { agencyOfSource, dataschemaFor, hubSource, type Agency, type RecordedEvent } from '@jigsaw/envelope';
import { accessRecord } from '../access/record-accessed.event.js';
import type { Acknowledger, EscalationOutcome, NewNotification } from './notification.js';

import {
  NOTIFICATION_ACKNOWLEDGED,
  NOTIFICATION_DELIVERED,
  NOTIFICATION_DELIVERY_FAILED,
  NOTIFICATION_ESCALATED,
  NOTIFICATION_RAISED,
  NOTIFICATION_RECALLED,
} from '@jigsaw/contracts';

export {
  NOTIFICATION_ACKNOWLEDGED,
  NOTIFICATION_DELIVERED,
  NOTIFICATION_DELIVERY_FAILED,
  NOTIFICATION_ESCALATED,
  NOTIFICATION_RAISED,
  NOTIFICATION_RECALLED,
};

export const NOTIFICATION_EVENT_TYPES = [
  NOTIFICATION_RAISED,
  NOTIFICATION_DELIVERED,
  NOTIFICATION_DELIVERY_FAILED,
  NOTIFICATION_ACKNOWLEDGED,
  NOTIFICATION_ESCALATED,
  NOTIFICATION_RECALLED,
] as const;
export type NotificationEventType = (typeof NOTIFICATION_EVENT_TYPES)[number];

/** Where the hub's notifications are recorded from. */
export const NOTIFICATIONS_SOURCE = hubSource('notifications');

/** One stream per notification: everything that happened to it, in order. */
export function notificationStreamOf(notificationId: string): string {
  return `notification-${notificationId}`;
}

export function isNotificationEvent(event: Pick<RecordedEvent, 'type'>): boolean {
  return (NOTIFICATION_EVENT_TYPES as readonly string[]).includes(event.type);
}

/** What a webhook delivery carries: the notification itself, or word to take it back. */
export type DeliveryKind = 'notification' | 'recall';

/** `data` of hub.notification-raised: the notification as decided, with its id and when. */
export interface NotificationRaisedData extends Omit<NewNotification, 'dueAt'> {
  notificationId: string;
  dueAt?: string;
  raisedAt: string;
  /** The webhook delivery queued with it, when the recipient has a webhook. */
  delivery?: { deliveryId: string };
}

/** `data` of hub.notification-delivered: the receiver answered 2xx. */
export interface NotificationDeliveredData {
  notificationId: string;
  deliveryId: string;
  deliveryKind: DeliveryKind;
  organisation: string;
  attempt: number;
  httpStatus: number;
  deliveredAt: string;
}

/** `data` of hub.notification-delivery-failed: one attempt failed, or the delivery was cancelled. */
export interface NotificationDeliveryFailedData {
  notificationId: string;
  deliveryId: string;
  deliveryKind: DeliveryKind;
  organisation: string;
  attempt: number;
  failedAt: string;
  /** `failed`: the attempt failed; `cancelled`: nothing was sent, and nothing will be. */
  outcome: 'failed' | 'cancelled';
  /** Why, in the hub's words: never what the receiver answered. */
  reason: string;
  httpStatus?: number;
  /** When the next attempt is due; absent when the delivery is given up or cancelled. */
  nextAttemptAt?: string;
}

/** `data` of hub.notification-acknowledged. */
export interface NotificationAcknowledgedData {
  notificationId: string;
  acknowledgedAt: string;
  acknowledgedBy: Acknowledger;
}

/** `data` of hub.notification-escalated: it fell due unacknowledged. */
export interface NotificationEscalatedData {
  notificationId: string;
  escalatedAt: string;
  /** `not-shared`: its event no longer stood when it fell due, so nobody was told. */
  outcome: EscalationOutcome;
  /** The notifications raised to escalate it. */
  escalations: string[];
}

/** `data` of hub.notification-recalled: its event was taken back after a webhook may have carried it. */
export interface NotificationRecalledData {
  notificationId: string;
  recalledAt: string;
  organisation: string;
  deliveryId: string;
}

export type NotificationEvent =
  | RecordedEvent<typeof NOTIFICATION_RAISED, NotificationRaisedData>
  | RecordedEvent<typeof NOTIFICATION_DELIVERED, NotificationDeliveredData>
  | RecordedEvent<typeof NOTIFICATION_DELIVERY_FAILED, NotificationDeliveryFailedData>
  | RecordedEvent<typeof NOTIFICATION_ACKNOWLEDGED, NotificationAcknowledgedData>
  | RecordedEvent<typeof NOTIFICATION_ESCALATED, NotificationEscalatedData>
  | RecordedEvent<typeof NOTIFICATION_RECALLED, NotificationRecalledData>;

export type NotificationDataOf<T extends NotificationEventType> = Extract<
  NotificationEvent,
  { type: T }
>['data'];

/**
 * One event of a notification's stream. Its attributes carry ids only: the hub child id as subject, the
 * hub as source. It is shared for audit with the auditing roles of the recipient's agency and of the agency
 * whose record raised it, and with review panels and partnership leads.
 */
export function notificationEvent<T extends NotificationEventType>(
  type: T,
  at: { id: string; at: string; childId: string; recipient: string; triggerEventKey: string },
  data: NotificationDataOf<T>,
): Extract<NotificationEvent, { type: T }> {
  const raisedBy = at.triggerEventKey.slice(0, at.triggerEventKey.indexOf('|'));
  const agencies = [...new Set([agencyOfSource(at.recipient), agencyOfSource(raisedBy)])].filter(
    (agency): agency is Agency => agency !== undefined,
  );
  const base = accessRecord(
    { id: at.id, at: at.at, source: NOTIFICATIONS_SOURCE, childId: at.childId, agency: 'council', roles: [] },
    data,
  );
  return {
    ...base,
    type,
    dataschema: dataschemaFor(type, 1),
    sharing: {
      ...base.sharing,
      consent: {
        status: 'not-applicable',
        reason: 'The hub must account for who it told about a child, and when (Working Together 2023)',
      },
      audience: agencies.map((agency) => ({
        agency,
        roles: ['auditor', 'data-protection-officer', 'review-panel', 'partnership-lead'],
      })),
    },
  } as unknown as Extract<NotificationEvent, { type: T }>;
}
