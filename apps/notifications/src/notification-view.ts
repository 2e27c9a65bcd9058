import type { ChildSubject, RecordedEvent } from '@jigsaw/envelope';
import { eventKey, redactForViewer, type Viewer, type ViewableEvent } from '@jigsaw/sharing';
import {
  statusOf,
  type ShownRecord,
  type Acknowledger,
  type Addressee,
  type CareStatusSummary,
  type NotificationDetails,
  type NotificationKind,
  type NotificationRecord,
  type NotificationStatus,
  type Route,
  type School,
} from '@jigsaw/view-model';
import type { ChildHistory } from '@jigsaw/view-model';
import { DESIGNATED_ROLE, NOTIFICATION_PURPOSES, purposeFor, viewerFor } from './recipients.js';

/** A notification as its recipient sees it: the routing facts, and the event cut to what they may see. */
export interface NotificationView {
  id: string;
  kind: NotificationKind;
  status: NotificationStatus;
  childId: string;
  createdAt: string;
  dueAt?: string;
  acknowledgement?: { at: string; by: Acknowledger };
  escalatedAt?: string;
  recipient: { organisation: string; agency: string; route: Route; school?: School; addressee?: Addressee };
  careStatuses?: CareStatusSummary[];
  escalation?: NotificationDetails['escalation'];
  /** The hub child id, and the child as the recipient's own records know them, where it has any. */
  child: { hubChildId: string; asKnownToYou?: ChildSubject };
  /**
   * What happened, as this reader may see it. Absent from a webhook delivery when the organisation's
   * system is not cleared for it: its safeguarding lead reads it in the inbox.
   */
  event?: ViewableEvent;
}

function shownOf(event: RecordedEvent, cut: ViewableEvent): ShownRecord {
  return {
    event: eventKey(event.source, event.id),
    level: cut.level,
    reason: cut.reason as ShownRecord['reason'],
    lawfulBasis: event.sharing.basis.lawfulBasis,
    regime: event.sharing.basis.regime,
  };
}

/** The notification's own facts, for its recipient organisation. */
function baseView(
  record: NotificationRecord,
  history: ChildHistory,
  now: Date,
): { view: NotificationView; shown: ShownRecord[] } {
  const { details } = record;
  const shown: ShownRecord[] = [];
  const own = history.latestBy(record.recipient.organisation);
  if (own) {
    shown.push({
      event: eventKey(own.source, own.id),
      level: 'full',
      reason: 'owner',
      lawfulBasis: own.sharing.basis.lawfulBasis,
      regime: own.sharing.basis.regime,
    });
  }
  // The care statuses come from the recipient council's own records.
  for (const key of details.statusEvents ?? []) {
    const status = history.find(key);
    if (status && status !== own) {
      shown.push({
        event: eventKey(status.source, status.id),
        level: 'full',
        reason: status.source === record.recipient.organisation ? 'owner' : 'shared',
        lawfulBasis: status.sharing.basis.lawfulBasis,
        regime: status.sharing.basis.regime,
      });
    }
  }
  const view: NotificationView = {
    id: record.id,
    kind: record.kind,
    status: statusOf(record, now),
    childId: record.childId,
    createdAt: record.createdAt.toISOString(),
    ...(record.dueAt ? { dueAt: record.dueAt.toISOString() } : {}),
    ...(record.acknowledgedAt && record.acknowledgedBy
      ? { acknowledgement: { at: record.acknowledgedAt.toISOString(), by: record.acknowledgedBy } }
      : {}),
    ...(record.escalatedAt && record.escalationOutcome === 'escalated'
      ? { escalatedAt: record.escalatedAt.toISOString() }
      : {}),
    recipient: {
      ...record.recipient,
      route: record.route,
      ...(details.school ? { school: details.school } : {}),
      ...(details.addressee ? { addressee: details.addressee } : {}),
    },
    ...(details.careStatuses ? { careStatuses: details.careStatuses } : {}),
    ...(details.escalation ? { escalation: details.escalation } : {}),
    child: {
      hubChildId: record.childId,
      ...(own ? { asKnownToYou: structuredClone(own.subject) } : {}),
    },
  };
  return { view, shown };
}

/**
 * The notification as one practitioner of the recipient organisation sees it, with the access record of
 * what was shown; undefined when they may not see the event it is about (another organisation's, a role
 * not cleared for it, a purpose it was not shared for, or no longer shared).
 */
export function notificationFor(
  viewer: Viewer,
  record: NotificationRecord,
  history: ChildHistory,
  now: Date,
): { view: NotificationView; shown: ShownRecord[] } | undefined {
  if (viewer.organisation !== record.recipient.organisation) return undefined;
  const trigger = history.find(record.triggerEventKey);
  const state = trigger ? history.stateOf(trigger) : undefined;
  if (!trigger || !state) return undefined;
  // Being addressed about the child is a relationship with it: the recipient reads what it was sent.
  const cut = redactForViewer(viewer, trigger, state, now, 'legitimate-relationship');
  if (!cut || cut.level !== 'full') return undefined;
  const { view, shown } = baseView(record, history, now);
  return { view: { ...view, event: cut }, shown: [shownOf(trigger, cut), ...shown] };
}

/**
 * What a webhook delivery carries, for the organisation's system (role `agency-system`): the event when
 * the sharing clears a system for it, else the notification without it. `undefined` when the recipient's
 * designated practitioner may no longer see the event at all: the delivery is then cancelled.
 */
export function notificationForSystem(
  record: NotificationRecord,
  history: ChildHistory,
  now: Date,
): NotificationView | undefined {
  const trigger = history.find(record.triggerEventKey);
  if (!trigger) return undefined;
  if (!purposeFor(record.recipient, DESIGNATED_ROLE[record.recipient.agency], trigger, history, now)) {
    return undefined;
  }
  for (const purpose of NOTIFICATION_PURPOSES) {
    const system = viewerFor(
      record.recipient,
      'agency-system',
      purpose,
      `system:${record.recipient.organisation}`,
    );
    const seen = notificationFor(system, record, history, now);
    if (seen) return seen.view;
  }
  return baseView(record, history, now).view;
}
