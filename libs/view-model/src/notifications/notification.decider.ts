import type { RecordedEvent } from '@jigsaw/envelope';
import {
  NOTIFICATION_ACKNOWLEDGED,
  NOTIFICATION_DELIVERED,
  NOTIFICATION_DELIVERY_FAILED,
  NOTIFICATION_ESCALATED,
  NOTIFICATION_RAISED,
  NOTIFICATION_RECALLED,
  notificationEvent,
  type DeliveryKind,
  type NotificationAcknowledgedData,
  type NotificationDataOf,
  type NotificationEscalatedData,
  type NotificationEvent,
  type NotificationRaisedData,
} from './notification.events.js';
import type { Acknowledger, EscalationOutcome, NewNotification } from './notification.js';

export interface DeliveryState {
  deliveryId: string;
  kind: DeliveryKind;
  organisation: string;
  /** Attempts on record (delivered or failed). */
  attempts: number;
  status: 'pending' | 'delivered' | 'failed' | 'cancelled';
  deliveredAt?: string;
}

/** A notification as its stream tells it, up to the last event folded. */
export interface NotificationState {
  raised?: NotificationRaisedData;
  deliveries: DeliveryState[];
  acknowledged?: NotificationAcknowledgedData;
  escalated?: NotificationEscalatedData;
  recalledFrom: string[];
}

export const initialNotificationState: NotificationState = { deliveries: [], recalledFrom: [] };

/** Every command carries the time it is decided at: the decider never reads a clock. */
export type NotificationCommand =
  | {
      type: 'raise';
      now: Date;
      notificationId: string;
      notification: NewNotification;
      /** The webhook delivery to queue with it, when its organisation has a webhook. */
      deliveryId?: string;
    }
  | {
      type: 'record-attempt';
      now: Date;
      deliveryId: string;
      attempt: number;
      result:
        | { outcome: 'delivered'; httpStatus: number }
        | { outcome: 'failed'; httpStatus?: number; reason: string }
        | { outcome: 'cancelled'; reason: string };
      /** When to try again after a failure; absent when the attempts have run out. */
      retryAt?: Date;
    }
  | { type: 'acknowledge'; now: Date; by: Acknowledger }
  | {
      type: 'escalate';
      now: Date;
      outcome: EscalationOutcome;
      /** The notifications raised to escalate it (already raised, each on its own stream). */
      escalations: readonly string[];
    }
  | { type: 'recall'; now: Date; organisation: string; deliveryId: string };

/** A command the notification's history refuses; `code` names the rule. */
export class NotificationRefused extends Error {
  constructor(
    readonly code: 'not-raised' | 'no-such-delivery' | 'delivery-finished' | 'not-due' | 'acknowledged',
    message: string,
  ) {
    super(message);
    this.name = 'NotificationRefused';
  }
}

export function evolveNotification(state: NotificationState, event: RecordedEvent): NotificationState {
  const e = event as NotificationEvent;
  const deliveries = (update: (d: DeliveryState) => DeliveryState, id: string): DeliveryState[] =>
    state.deliveries.map((d) => (d.deliveryId === id ? update(d) : d));
  switch (e.type) {
    case NOTIFICATION_RAISED:
      return {
        ...state,
        raised: e.data,
        deliveries: e.data.delivery
          ? [
              {
                deliveryId: e.data.delivery.deliveryId,
                kind: 'notification',
                organisation: e.data.recipient.organisation,
                attempts: 0,
                status: 'pending',
              },
            ]
          : [],
      };
    case NOTIFICATION_DELIVERED:
      return {
        ...state,
        deliveries: deliveries(
          (d) => ({
            ...d,
            attempts: Math.max(d.attempts, e.data.attempt),
            status: 'delivered',
            deliveredAt: e.data.deliveredAt,
          }),
          e.data.deliveryId,
        ),
      };
    case NOTIFICATION_DELIVERY_FAILED:
      return {
        ...state,
        deliveries: deliveries(
          (d) => ({
            ...d,
            attempts: Math.max(d.attempts, e.data.attempt),
            status:
              e.data.outcome === 'cancelled' ? 'cancelled' : e.data.nextAttemptAt ? 'pending' : 'failed',
          }),
          e.data.deliveryId,
        ),
      };
    case NOTIFICATION_ACKNOWLEDGED:
      return { ...state, acknowledged: e.data };
    case NOTIFICATION_ESCALATED:
      return { ...state, escalated: e.data };
    case NOTIFICATION_RECALLED:
      return {
        ...state,
        recalledFrom: [...state.recalledFrom, e.data.organisation],
        deliveries: [
          ...state.deliveries,
          {
            deliveryId: e.data.deliveryId,
            kind: 'recall',
            organisation: e.data.organisation,
            attempts: 0,
            status: 'pending',
          },
        ],
      };
    default:
      return state;
  }
}

export function foldNotification(events: readonly RecordedEvent[]): NotificationState {
  return events.reduce(evolveNotification, initialNotificationState);
}

function eventOf<T extends NotificationEvent['type']>(
  type: T,
  raised: NotificationRaisedData,
  id: string,
  now: Date,
  data: NotificationDataOf<T>,
): NotificationEvent {
  return notificationEvent(
    type,
    {
      id,
      at: now.toISOString(),
      childId: raised.childId,
      recipient: raised.recipient.organisation,
      triggerEventKey: raised.triggerEventKey,
    },
    data,
  );
}

/**
 * What a command makes happen to one notification, from its history alone. Raising, acknowledging and
 * recalling again change nothing (no events); what the history forbids is refused.
 */
export function decideNotification(
  state: NotificationState,
  command: NotificationCommand,
): NotificationEvent[] {
  const { now } = command;
  if (command.type === 'raise') {
    if (state.raised) return [];
    const n = command.notification;
    const data: NotificationRaisedData = {
      notificationId: command.notificationId,
      dedupeKey: n.dedupeKey,
      kind: n.kind,
      childId: n.childId,
      triggerEventKey: n.triggerEventKey,
      recipient: { organisation: n.recipient.organisation, agency: n.recipient.agency },
      route: n.route,
      details: n.details,
      ...(n.escalationOf ? { escalationOf: n.escalationOf } : {}),
      ...(n.dueAt ? { dueAt: n.dueAt.toISOString() } : {}),
      raisedAt: now.toISOString(),
      ...(command.deliveryId ? { delivery: { deliveryId: command.deliveryId } } : {}),
    };
    return [eventOf(NOTIFICATION_RAISED, data, `raised-${command.notificationId}`, now, data)];
  }
  const raised = state.raised;
  if (!raised) throw new NotificationRefused('not-raised', 'no such notification has been raised');
  const id = raised.notificationId;
  switch (command.type) {
    case 'record-attempt': {
      const delivery = state.deliveries.find((d) => d.deliveryId === command.deliveryId);
      if (!delivery)
        throw new NotificationRefused('no-such-delivery', 'the notification has no such delivery');
      if (delivery.status !== 'pending' || command.attempt <= delivery.attempts) {
        throw new NotificationRefused('delivery-finished', 'that attempt is already on record');
      }
      const common = {
        notificationId: id,
        deliveryId: delivery.deliveryId,
        deliveryKind: delivery.kind,
        organisation: delivery.organisation,
        attempt: command.attempt,
      };
      const eventId = `${delivery.deliveryId}-${command.attempt}`;
      const { result } = command;
      if (result.outcome === 'delivered') {
        return [
          eventOf(NOTIFICATION_DELIVERED, raised, `delivered-${eventId}`, now, {
            ...common,
            httpStatus: result.httpStatus,
            deliveredAt: now.toISOString(),
          }),
        ];
      }
      return [
        eventOf(NOTIFICATION_DELIVERY_FAILED, raised, `delivery-failed-${eventId}`, now, {
          ...common,
          failedAt: now.toISOString(),
          outcome: result.outcome,
          reason: result.reason,
          ...(result.outcome === 'failed' && result.httpStatus !== undefined
            ? { httpStatus: result.httpStatus }
            : {}),
          ...(result.outcome === 'failed' && command.retryAt
            ? { nextAttemptAt: command.retryAt.toISOString() }
            : {}),
        }),
      ];
    }
    case 'acknowledge':
      if (state.acknowledged) return [];
      return [
        eventOf(NOTIFICATION_ACKNOWLEDGED, raised, `acknowledged-${id}`, now, {
          notificationId: id,
          acknowledgedAt: now.toISOString(),
          acknowledgedBy: command.by,
        }),
      ];
    case 'escalate':
      if (state.escalated) return [];
      if (state.acknowledged) {
        throw new NotificationRefused('acknowledged', 'an acknowledged notification is not escalated');
      }
      if (!raised.dueAt || Date.parse(raised.dueAt) > now.getTime()) {
        throw new NotificationRefused('not-due', 'the notification is not due yet');
      }
      return [
        eventOf(NOTIFICATION_ESCALATED, raised, `escalated-${id}`, now, {
          notificationId: id,
          escalatedAt: now.toISOString(),
          outcome: command.outcome,
          escalations: [...command.escalations],
        }),
      ];
    case 'recall': {
      if (state.recalledFrom.includes(command.organisation)) return [];
      // Only what a webhook may have carried is recalled: delivered, or attempted.
      const carried = state.deliveries.some(
        (d) =>
          d.kind === 'notification' &&
          d.organisation === command.organisation &&
          (d.status === 'delivered' || d.attempts > 0),
      );
      if (!carried) return [];
      return [
        eventOf(NOTIFICATION_RECALLED, raised, `recalled-${id}-${command.deliveryId}`, now, {
          notificationId: id,
          recalledAt: now.toISOString(),
          organisation: command.organisation,
          deliveryId: command.deliveryId,
        }),
      ];
    }
  }
}

export const notificationDecider = {
  initialState: initialNotificationState,
  evolve: evolveNotification,
  decide: decideNotification,
};
