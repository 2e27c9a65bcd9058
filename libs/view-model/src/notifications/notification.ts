import type { Agency } from '@jigsaw/envelope';

export const NOTIFICATION_KINDS = ['cp-is', 'operation-encompass', 'escalation'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_STATUSES = ['open', 'overdue', 'acknowledged'] as const;
/** `overdue`: not acknowledged and past its deadline; notifications without a deadline are never overdue. */
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** Why a notification went where it went: recorded with it, so every routing decision can be explained. */
export type Route =
  /** CP-IS: the council that recorded the plan or period of care. */
  | 'responsible-council'
  /** Operation Encompass: the school whose roll the child is on. */
  | 'school-roll'
  /** Operation Encompass: no roll known, the school the force named, known to the hub. */
  | 'school-named-by-police'
  /** Operation Encompass to the council: the child is electively home educated. */
  | 'home-educated'
  /** Operation Encompass to the council: the school reported the child missing education. */
  | 'missing-education'
  /** Operation Encompass to the council: the hub knows of no school roll for the child. */
  | 'not-on-roll'
  /** Operation Encompass to the council: the school may not see the incident under the force's sharing. */
  | 'school-not-in-audience'
  /** Operation Encompass back to the force: no school or council may receive it; the force must act. */
  | 'no-recipient'
  /** An escalation to the force that raised the incident. */
  | 'raised-by'
  /** An escalation to the council responsible for the child. */
  | 'council-for-child';

/** Every route, for the schemas of the notification events (held to them by a test). */
export const ROUTES = [
  'responsible-council',
  'school-roll',
  'school-named-by-police',
  'home-educated',
  'missing-education',
  'not-on-roll',
  'school-not-in-audience',
  'no-recipient',
  'raised-by',
  'council-for-child',
] as const satisfies readonly Route[];

export interface School {
  urn: string;
  name: string;
}

/** The person at the school the notification is for, as the school registered them. */
export interface Addressee {
  name: string;
  role: string;
  phone?: string;
  secureEmail?: string;
}

/** A child protection plan or period of care that made an attendance a CP-IS notification. */
export interface CareStatusSummary {
  kind: 'child-protection-plan' | 'looked-after';
  startDate: string;
  endDate?: string;
  /** False when it ended within the 12 months CP-IS keeps showing it. */
  inForce: boolean;
  contact?: { team: string; phone: string; outOfHoursPhone: string };
}

export interface NotificationDetails {
  school?: School;
  addressee?: Addressee;
  careStatuses?: CareStatusSummary[];
  /** `<source>|<id>` of the records the care statuses come from. */
  statusEvents?: string[];
  /** CP-IS: the child's minimal flag was looked up from unscheduled care: when, and where. */
  lookup?: { at: string; organisation: string };
  /** For an escalation: the notification not acknowledged in time. */
  escalation?: {
    of: string;
    recipient: { organisation: string; agency: Agency; route: Route };
    dueAt: string;
  };
}

/** A notification as decided, before it is stored. */
export interface NewNotification {
  /** Deciding twice gives the same key, and the store keeps one: notifications are never raised twice. */
  dedupeKey: string;
  kind: NotificationKind;
  childId: string;
  /** `<source>|<id>` of the event the notification is about. */
  triggerEventKey: string;
  recipient: { organisation: string; agency: Agency };
  route: Route;
  details: NotificationDetails;
  escalationOf?: string;
  dueAt?: Date;
}

/** A stored notification. */
export interface NotificationRecord extends NewNotification {
  id: string;
  createdAt: Date;
  acknowledgedAt?: Date;
  acknowledgedBy?: Acknowledger;
  escalatedAt?: Date;
  escalationOutcome?: EscalationOutcome;
}

export interface Acknowledger {
  sub: string;
  role: string;
  organisation: string;
}

/** `not-shared`: when it fell due, its event no longer stood (retracted, withdrawn, restricted). */
export type EscalationOutcome = 'escalated' | 'not-shared';

export function statusOf(
  n: Pick<NotificationRecord, 'acknowledgedAt' | 'dueAt'>,
  now: Date,
): NotificationStatus {
  if (n.acknowledgedAt) return 'acknowledged';
  if (n.dueAt && n.dueAt.getTime() <= now.getTime()) return 'overdue';
  return 'open';
}
