import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { eventKeyOf } from '@jigsaw/projection';
import { ChildHistory } from '@jigsaw/view-model';
import { decideEscalation } from './escalation.rules.js';
import type { NotificationRecord } from '@jigsaw/view-model';
import {
  aChild,
  aLeadPractitioner,
  anIncident,
  aPupilOnRoll,
  aRetraction,
  HILLSIDE,
  LEEDS,
  MET,
  recorded,
} from './testing/notification-events.factory.js';

const child = aChild();
const now = new Date('2026-11-23T08:31:00Z');
const incidentEnvelope = anIncident(child, { occurredAt: '2026-11-20T22:40:00Z' });
const incident = recorded(incidentEnvelope, child, '2026-11-20T23:00:00Z');
const roll = recorded(aPupilOnRoll(child, { onRollFrom: '2021-09-01' }), child, '2026-09-01T10:00:00Z');
const council = recorded(
  aLeadPractitioner(child, { assignedDate: '2026-03-01' }),
  child,
  '2026-03-01T10:00:00Z',
);

const original: NotificationRecord = {
  id: randomUUID(),
  dedupeKey: `operation-encompass|${eventKeyOf(incident)}`,
  kind: 'operation-encompass',
  childId: child.childid,
  triggerEventKey: eventKeyOf(incident),
  recipient: { organisation: HILLSIDE, agency: 'education' },
  route: 'school-roll',
  details: {},
  dueAt: new Date('2026-11-23T08:30:00Z'),
  createdAt: new Date('2026-11-20T23:00:01Z'),
};

describe('escalation of a notification not acknowledged in time', () => {
  it('tells the force that raised it and the council responsible for the child, each in their own inbox', () => {
    const { outcome, notifications } = decideEscalation(
      original,
      new ChildHistory([council, roll, incident]),
      now,
    );
    expect(outcome).toBe('escalated');
    const details = {
      escalation: {
        of: original.id,
        recipient: { organisation: HILLSIDE, agency: 'education', route: 'school-roll' },
        dueAt: '2026-11-23T08:30:00.000Z',
      },
    };
    expect(notifications).toEqual([
      {
        dedupeKey: `escalation|${original.id}|${MET}`,
        kind: 'escalation',
        childId: child.childid,
        triggerEventKey: original.triggerEventKey,
        recipient: { organisation: MET, agency: 'police' },
        route: 'raised-by',
        escalationOf: original.id,
        details,
      },
      {
        dedupeKey: `escalation|${original.id}|${LEEDS}`,
        kind: 'escalation',
        childId: child.childid,
        triggerEventKey: original.triggerEventKey,
        recipient: { organisation: LEEDS, agency: 'council' },
        route: 'council-for-child',
        escalationOf: original.id,
        details,
      },
    ]);
  });

  it('tells only the force when no council is known for the child', () => {
    const { notifications } = decideEscalation(original, new ChildHistory([roll, incident]), now);
    expect(notifications.map((n) => n.recipient.organisation)).toEqual([MET]);
  });

  it('tells the council once when the overdue notification was its own', () => {
    const toCouncil = {
      ...original,
      recipient: { organisation: LEEDS, agency: 'council' as const },
      route: 'not-on-roll' as const,
    };
    const { notifications } = decideEscalation(toCouncil, new ChildHistory([council, incident]), now);
    expect(notifications.map((n) => n.recipient.organisation)).toEqual([MET, LEEDS]);
  });

  it('escalates nothing about an incident the force has since retracted', () => {
    const retraction = recorded(aRetraction(incidentEnvelope, child), child, '2026-11-21T10:00:00Z');
    expect(decideEscalation(original, new ChildHistory([council, roll, incident, retraction]), now)).toEqual({
      outcome: 'not-shared',
      notifications: [],
    });
  });
});
