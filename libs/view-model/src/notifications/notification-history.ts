import type { RecordedEvent } from '@jigsaw/envelope';
import { foldNotification } from './notification.decider.js';
import type { Acknowledger, EscalationOutcome, NotificationKind, Route } from './notification.js';

/** Who was told what about one notification, and when, as its stream told it at one moment. */
export interface NotificationHistory {
  notificationId: string;
  asKnownAt: string;
  kind: NotificationKind;
  childId: string;
  /** `<source>|<id>` of the record it is about. */
  about: string;
  told: { organisation: string; agency: string; route: Route };
  raisedAt: string;
  dueAt?: string;
  /** Each webhook delivery: when the receiver took it, or how it ended. */
  deliveries: {
    deliveryId: string;
    kind: 'notification' | 'recall';
    organisation: string;
    status: 'pending' | 'delivered' | 'failed' | 'cancelled';
    attempts: number;
    deliveredAt?: string;
  }[];
  acknowledged: boolean;
  acknowledgedAt?: string;
  acknowledgedBy?: Acknowledger;
  escalatedAt?: string;
  escalation?: { outcome: EscalationOutcome; notifications: string[] };
  /** Every event of the stream up to that moment, in order. */
  events: { type: string; time: string }[];
}

/**
 * The notification as known at `at`: its stream's events recorded up to then, folded. Undefined when
 * it had not been raised by then.
 */
export function notificationAsKnownAt(
  events: readonly RecordedEvent[],
  at: Date,
): NotificationHistory | undefined {
  const known = events.filter((e) => Date.parse(e.recordedtime) <= at.getTime());
  const state = foldNotification(known);
  const raised = state.raised;
  if (!raised) return undefined;
  return {
    notificationId: raised.notificationId,
    asKnownAt: at.toISOString(),
    kind: raised.kind,
    childId: raised.childId,
    about: raised.triggerEventKey,
    told: { ...raised.recipient, route: raised.route },
    raisedAt: raised.raisedAt,
    ...(raised.dueAt ? { dueAt: raised.dueAt } : {}),
    deliveries: state.deliveries.map((d) => ({ ...d })),
    acknowledged: state.acknowledged !== undefined,
    ...(state.acknowledged
      ? {
          acknowledgedAt: state.acknowledged.acknowledgedAt,
          acknowledgedBy: state.acknowledged.acknowledgedBy,
        }
      : {}),
    ...(state.escalated
      ? {
          escalatedAt: state.escalated.escalatedAt,
          escalation: { outcome: state.escalated.outcome, notifications: state.escalated.escalations },
        }
      : {}),
    events: known.map((e) => ({ type: e.type, time: e.time })),
  };
}
