import {
  AGENCIES,
  agencyOfSource,
  type Agency,
  type Purpose,
  type RecordedEvent,
  type Role,
} from '@jigsaw/envelope';
import { decideVisibility, type Viewer } from '@jigsaw/sharing';
import type { ChildHistory } from '@jigsaw/view-model';

/** An organisation a notification is addressed to. */
export interface Recipient {
  organisation: string;
  agency: Agency;
}

export function recipientOf(organisation: string): Recipient | undefined {
  const agency = AGENCIES.find((a) => a === agencyOfSource(organisation));
  return agency ? { organisation, agency } : undefined;
}

/**
 * Who in each agency a notification is for: the person whose job it is to act. The sharing policy decides
 * what that person may see; a notification goes only where they may see what it is about.
 */
export const DESIGNATED_ROLE: Readonly<Record<Agency, Role>> = {
  education: 'designated-safeguarding-lead',
  council: 'social-worker',
  police: 'police-officer',
  health: 'clinician',
};

/** Notifications exist to keep children safe; these purposes, in this order of preference. */
export const NOTIFICATION_PURPOSES: readonly Purpose[] = ['safeguarding', 'child-protection'];

export function viewerFor(recipient: Recipient, role: Role, purpose: Purpose, userId: string): Viewer {
  return { agency: recipient.agency, organisation: recipient.organisation, role, purpose, userId };
}

/** The first notification purpose under which `role` at the recipient sees the event, if any. */
export function purposeFor(
  recipient: Recipient,
  role: Role,
  event: RecordedEvent,
  history: ChildHistory,
  now: Date,
): Purpose | undefined {
  const state = history.stateOf(event);
  if (!state) return undefined;
  return NOTIFICATION_PURPOSES.find(
    (purpose) =>
      // Would the recipient see it once addressed: the notification is what gives it the relationship.
      decideVisibility(
        viewerFor(recipient, role, purpose, 'notifications'),
        event,
        state,
        now,
        'legitimate-relationship',
      ).visible,
  );
}

/** Whether the recipient's designated practitioner may see the event the notification is about. */
export function mayReceive(
  recipient: Recipient,
  event: RecordedEvent,
  history: ChildHistory,
  now: Date,
): boolean {
  return purposeFor(recipient, DESIGNATED_ROLE[recipient.agency], event, history, now) !== undefined;
}

/**
 * Whether the hub recorded the event before the notification horizon. The age limit runs from when the
 * hub heard, not from when it happened: an incident reported weeks late still reaches the school, and a
 * replay or rebuild of old history, recorded long ago, raises nothing new.
 */
export function recordedBefore(event: RecordedEvent, notBefore: Date): boolean {
  const at = Date.parse(event.recordedtime);
  return Number.isNaN(at) || at < notBefore.getTime();
}
