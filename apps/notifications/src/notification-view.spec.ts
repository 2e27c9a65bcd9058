import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { eventKey, type Viewer } from '@jigsaw/sharing';
import { eventKeyOf } from '@jigsaw/projection';
import { ChildHistory } from '@jigsaw/view-model';
import type { NotificationRecord } from '@jigsaw/view-model';
import { notificationFor, notificationForSystem } from './notification-view.js';
import {
  aChild,
  anIncident,
  aPupilOnRoll,
  aRetraction,
  HILLSIDE,
  OAKWOOD,
  recorded,
} from './testing/notification-events.factory.js';

const child = aChild();
const incidentEnvelope = anIncident(child, { occurredAt: '2026-11-20T22:40:00Z' });
const incident = recorded(incidentEnvelope, child, '2026-11-20T23:00:00Z');
const roll = recorded(aPupilOnRoll(child, { onRollFrom: '2021-09-01' }), child, '2026-09-01T10:00:00Z');
const history = new ChildHistory([roll, incident]);
const now = new Date('2026-11-21T09:00:00Z');

const record: NotificationRecord = {
  id: randomUUID(),
  dedupeKey: 'k',
  kind: 'operation-encompass',
  childId: child.childid,
  triggerEventKey: eventKeyOf(incident),
  recipient: { organisation: HILLSIDE, agency: 'education' },
  route: 'school-roll',
  details: { school: { urn: '123456', name: 'Hillside Primary School' } },
  dueAt: new Date('2026-11-23T08:30:00Z'),
  createdAt: new Date('2026-11-20T23:00:01Z'),
};

const dsl: Viewer = {
  agency: 'education',
  organisation: HILLSIDE,
  role: 'designated-safeguarding-lead',
  purpose: 'safeguarding',
  userId: 'dsl-1',
};

describe('a notification as its reader sees it', () => {
  it("shows the school's DSL the incident cut to a school's fields, and the pupil as the school knows them", () => {
    const seen = notificationFor(dsl, record, history, now);
    expect(seen?.view).toMatchObject({
      id: record.id,
      kind: 'operation-encompass',
      status: 'open',
      dueAt: '2026-11-23T08:30:00.000Z',
      recipient: { organisation: HILLSIDE, route: 'school-roll', school: { urn: '123456' } },
      child: { hubChildId: child.childid, asKnownToYou: roll.subject },
    });
    expect(Object.keys(seen?.view.event?.data ?? {}).sort()).toEqual(
      ['childInHousehold', 'childPresent', 'contact', 'force', 'occurredAt', 'summary'].sort(),
    );
    expect(JSON.stringify(seen?.view.event)).not.toContain('Police-only narrative');
    expect(seen?.view.event).not.toHaveProperty('subject');
    expect(seen?.shown.map((s) => [s.event, s.reason])).toEqual([
      [eventKey(incident.source, incident.id), 'shared'],
      [eventKey(roll.source, roll.id), 'owner'],
    ]);
  });

  it('is overdue once the deadline passes unacknowledged, and acknowledged once acknowledged', () => {
    expect(notificationFor(dsl, record, history, new Date('2026-11-23T08:30:00Z'))?.view.status).toBe(
      'overdue',
    );
    const acked = {
      ...record,
      acknowledgedAt: new Date('2026-11-23T08:00:00Z'),
      acknowledgedBy: { sub: 'dsl-1', role: 'designated-safeguarding-lead', organisation: HILLSIDE },
    };
    expect(notificationFor(dsl, acked, history, new Date('2026-11-24T08:30:00Z'))?.view).toMatchObject({
      status: 'acknowledged',
      acknowledgement: { at: '2026-11-23T08:00:00.000Z', by: { sub: 'dsl-1' } },
    });
  });

  it('shows nothing to a teacher, another school, a purpose not shared, or once the force retracts it', () => {
    expect(notificationFor({ ...dsl, role: 'teacher' }, record, history, now)).toBeUndefined();
    expect(notificationFor({ ...dsl, organisation: OAKWOOD }, record, history, now)).toBeUndefined();
    expect(notificationFor({ ...dsl, purpose: 'education-welfare' }, record, history, now)).toBeUndefined();
    const retracted = new ChildHistory([
      roll,
      incident,
      recorded(aRetraction(incidentEnvelope, child), child, now),
    ]);
    expect(notificationFor(dsl, record, retracted, now)).toBeUndefined();
  });

  it("gives the school's system the incident only where the force cleared systems for it", () => {
    const bare = notificationForSystem(record, history, now);
    expect(bare).toMatchObject({ id: record.id, child: { asKnownToYou: roll.subject } });
    expect(bare).not.toHaveProperty('event');
    const named = recorded(
      anIncident(child, {
        occurredAt: '2026-11-20T22:40:00Z',
        audience: [{ agency: 'education', roles: ['designated-safeguarding-lead', 'agency-system'] }],
      }),
      child,
      '2026-11-20T23:00:00Z',
    );
    const forSystem = notificationForSystem(
      { ...record, triggerEventKey: eventKeyOf(named) },
      new ChildHistory([roll, named]),
      now,
    );
    expect(forSystem?.event?.data).toMatchObject({ childPresent: true });
    const retracted = new ChildHistory([
      roll,
      incident,
      recorded(aRetraction(incidentEnvelope, child), child, now),
    ]);
    expect(notificationForSystem(record, retracted, now)).toBeUndefined();
  });
});
