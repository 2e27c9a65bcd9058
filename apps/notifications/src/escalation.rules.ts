import { asTyped } from '@jigsaw/contracts';
import type { EscalationOutcome, NewNotification, NotificationRecord, Route } from '@jigsaw/view-model';
import { councilsFor, occurredAtOf } from './operation-encompass.rules.js';
import { mayReceive, recipientOf, type Recipient } from './recipients.js';
import { londonDateOf, type ChildHistory } from '@jigsaw/view-model';

/**
 * A notification not acknowledged by its deadline is escalated to the force that raised the incident and
 * the council responsible for the child, each as a notification of its own in their inboxes. Only those
 * who may see the incident hear of it; an incident no longer standing (retracted, consent withdrawn,
 * restricted) is not escalated at all.
 */
export function decideEscalation(
  original: NotificationRecord,
  history: ChildHistory,
  now: Date,
): { outcome: EscalationOutcome; notifications: NewNotification[] } {
  const found = history.find(original.triggerEventKey);
  const trigger = found && asTyped(found);
  const data = trigger ? history.standingData(trigger) : undefined;
  if (!trigger || !data || !mayReceive(original.recipient, trigger, history, now)) {
    return { outcome: 'not-shared', notifications: [] };
  }
  const occurredAt = occurredAtOf(trigger, 'occurredAt' in data ? data : {}) ?? new Date(trigger.time);
  const candidates: { recipient: Recipient | undefined; route: Route }[] = [
    { recipient: recipientOf(trigger.source), route: 'raised-by' },
    ...councilsFor(history, londonDateOf(occurredAt))
      .map((council) => ({ recipient: recipientOf(council), route: 'council-for-child' as const }))
      .filter(({ recipient }) => recipient && mayReceive(recipient, trigger, history, now))
      .slice(0, 1),
  ];
  const seen = new Set<string>();
  const notifications: NewNotification[] = [];
  for (const { recipient, route } of candidates) {
    if (!recipient || seen.has(recipient.organisation)) continue;
    if (!mayReceive(recipient, trigger, history, now)) continue;
    seen.add(recipient.organisation);
    notifications.push({
      dedupeKey: `escalation|${original.id}|${recipient.organisation}`,
      kind: 'escalation',
      childId: original.childId,
      triggerEventKey: original.triggerEventKey,
      recipient,
      route,
      escalationOf: original.id,
      details: {
        escalation: {
          of: original.id,
          recipient: { ...original.recipient, route: original.route },
          dueAt: (original.dueAt ?? now).toISOString(),
        },
      },
    });
  }
  return { outcome: 'escalated', notifications };
}
