import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '@jigsaw/envelope';
import { eventKeyOf } from '@jigsaw/projection';
import { decideEncompass, type KnownSchool } from './operation-encompass.rules.js';
import { ChildHistory, parseHolidays, SchoolCalendar } from '@jigsaw/view-model';
import {
  aChild,
  aHomeEducationNotice,
  aKeyAdult,
  aLeadPractitioner,
  aLookedAfterStarted,
  aMissingEducationReport,
  anIncident,
  aPupilOnRoll,
  aRetraction,
  BRADFORD,
  HILLSIDE,
  LEEDS,
  MET,
  OAKWOOD,
  recorded,
} from './testing/notification-events.factory.js';

const now = new Date('2026-11-21T09:00:00Z');
const calendar = new SchoolCalendar(parseHolidays('2026-12-21/2027-01-01'));
const child = aChild();
const at = (minutes: number): string =>
  new Date(Date.parse('2026-11-01T00:00:00Z') + minutes * 60_000).toISOString();
/** Friday 20 November 2026, 22:40 GMT. */
const fridayNight = '2026-11-20T22:40:00Z';
const incident = recorded(anIncident(child, { occurredAt: fridayNight }), child, at(100));

const decide = (
  events: RecordedEvent[],
  options: { schools?: KnownSchool[]; trigger?: RecordedEvent } = {},
) =>
  decideEncompass(options.trigger ?? incident, new ChildHistory([...events, options.trigger ?? incident]), {
    now,
    calendar,
    notBefore: new Date('2026-10-01T00:00:00Z'),
    schoolByUrn: (urn) => options.schools?.find((s) => s.urn === urn),
  });

describe('Operation Encompass', () => {
  const roll = recorded(aPupilOnRoll(child, { onRollFrom: '2021-09-01' }), child, at(1));

  it("notifies the school on whose roll the child is, due before school on Monday, addressed to the roll's DSL", () => {
    expect(decide([roll])).toEqual({
      dedupeKey: `operation-encompass|${eventKeyOf(incident)}`,
      kind: 'operation-encompass',
      childId: child.childid,
      triggerEventKey: eventKeyOf(incident),
      recipient: { organisation: HILLSIDE, agency: 'education' },
      route: 'school-roll',
      details: {
        school: { urn: '123456', name: 'Hillside Primary School' },
        addressee: {
          name: 'Ms Example',
          role: 'designated-safeguarding-lead',
          phone: '0113 496 0000',
          secureEmail: 'dsl@hillside.example.sch.uk',
        },
      },
      dueAt: new Date('2026-11-23T08:30:00Z'),
    });
  });

  it('addresses the key adult the school registered, over the DSL on the roll', () => {
    const keyAdult = {
      name: 'Mr Deputy',
      role: 'deputy-designated-safeguarding-lead',
      phone: '0113 496 0001',
      secureEmail: 'deputy@hillside.example.sch.uk',
    };
    const registered = recorded(aKeyAdult(child, { keyAdult }), child, at(2));
    expect(decide([roll, registered])?.details.addressee).toEqual(keyAdult);
  });

  it('follows the latest roll on the day of the incident, not a later one', () => {
    const moved = recorded(
      aPupilOnRoll(child, {
        source: OAKWOOD,
        onRollFrom: '2026-09-01',
        urn: '654321',
        name: 'Oakwood Academy',
      }),
      child,
      at(2),
    );
    expect(decide([roll, moved])).toMatchObject({ recipient: { organisation: OAKWOOD } });
    const future = recorded(
      aPupilOnRoll(child, {
        source: OAKWOOD,
        onRollFrom: '2026-11-23',
        urn: '654321',
        name: 'Oakwood Academy',
      }),
      child,
      at(2),
    );
    expect(decide([roll, future])).toMatchObject({ recipient: { organisation: HILLSIDE } });
  });

  it('notifies the council instead when the child is home educated, missing education, or on no roll', () => {
    const council = recorded(aLeadPractitioner(child, { assignedDate: '2026-03-01' }), child, at(0));
    const home = recorded(aHomeEducationNotice(child, { offRollOn: '2026-11-16' }), child, at(3));
    expect(decide([council, roll, home])).toMatchObject({
      recipient: { organisation: LEEDS, agency: 'council' },
      route: 'home-educated',
      dueAt: new Date('2026-11-23T08:30:00Z'),
    });
    const missing = recorded(aMissingEducationReport(child, { reportedOn: '2026-11-13' }), child, at(3));
    expect(decide([council, roll, missing])).toMatchObject({
      recipient: { organisation: LEEDS },
      route: 'missing-education',
    });
    expect(decide([council])).toMatchObject({ recipient: { organisation: LEEDS }, route: 'not-on-roll' });
  });

  it('prefers the council with a plan or care in force over one that merely recorded something', () => {
    const bradfordRecord = recorded(
      aLeadPractitioner(child, { source: BRADFORD, assignedDate: '2026-03-01' }),
      child,
      at(5),
    );
    const leedsCare = recorded(aLookedAfterStarted(child, { startDate: '2026-07-14' }), child, at(1));
    expect(decide([leedsCare, bradfordRecord])).toMatchObject({ recipient: { organisation: LEEDS } });
    expect(decide([bradfordRecord])).toMatchObject({ recipient: { organisation: BRADFORD } });
  });

  it('goes to the school the force names when the hub knows it and no roll says otherwise', () => {
    const named = recorded(
      anIncident(child, { occurredAt: fridayNight, schoolUrn: '654321' }),
      child,
      at(100),
    );
    const oakwood = { urn: '654321', name: 'Oakwood Academy', organisation: OAKWOOD };
    expect(decide([], { trigger: named, schools: [oakwood] })).toMatchObject({
      recipient: { organisation: OAKWOOD },
      route: 'school-named-by-police',
      details: { school: { urn: '654321', name: 'Oakwood Academy' } },
    });
    expect(decide([roll], { trigger: named, schools: [oakwood] })).toMatchObject({
      recipient: { organisation: HILLSIDE },
    });
  });

  it('passes over a school the force did not share with, to the council, and back to the force when no one may see it', () => {
    const council = recorded(aLeadPractitioner(child, { assignedDate: '2026-03-01' }), child, at(0));
    const councilOnly = recorded(
      anIncident(child, { occurredAt: fridayNight, audience: [{ agency: 'council' }] }),
      child,
      at(100),
    );
    expect(decide([roll, council], { trigger: councilOnly })).toMatchObject({
      recipient: { organisation: LEEDS },
      route: 'school-not-in-audience',
    });
    const policeOnly = recorded(
      anIncident(child, { occurredAt: fridayNight, audience: [{ agency: 'police' }] }),
      child,
      at(100),
    );
    const back = decide([roll, council], { trigger: policeOnly });
    expect(back).toMatchObject({ recipient: { organisation: MET, agency: 'police' }, route: 'no-recipient' });
    expect(back).not.toHaveProperty('dueAt');
  });

  it('rolls the deadline past a holiday: the night before Christmas holidays is due in January', () => {
    const lastDay = recorded(anIncident(child, { occurredAt: '2026-12-18T21:00:00Z' }), child, at(100));
    expect(decide([roll], { trigger: lastDay })?.dueAt).toEqual(new Date('2027-01-04T08:30:00Z'));
  });

  it('ignores a retracted roll, and raises nothing for a retracted or too old incident', () => {
    const rollEnvelope = aPupilOnRoll(child, { onRollFrom: '2021-09-01' });
    const withdrawnRoll = [
      recorded(rollEnvelope, child, at(1)),
      recorded(aRetraction(rollEnvelope, child), child, at(2)),
    ];
    expect(decide(withdrawnRoll)).toMatchObject({ recipient: { organisation: MET }, route: 'no-recipient' });
    const envelope = anIncident(child, { occurredAt: fridayNight });
    const retracted = recorded(envelope, child, at(100));
    expect(
      decide([roll, recorded(aRetraction(envelope, child), child, at(101))], { trigger: retracted }),
    ).toBeUndefined();
    const old = recorded(
      anIncident(child, { occurredAt: '2026-09-01T22:00:00Z' }),
      child,
      '2026-09-02T08:00:00Z',
    );
    expect(decide([roll], { trigger: old })).toBeUndefined();
  });

  it('counts the age limit from when the hub recorded the incident: one reported 40 days late reaches the school', () => {
    // Occurred 40 days before the hub heard of it; the horizon (1 October) is counted from the recording.
    const late = recorded(
      anIncident(child, { occurredAt: '2026-09-20T22:00:00Z' }),
      child,
      '2026-10-30T22:00:00Z',
    );
    expect(decide([roll], { trigger: late })).toMatchObject({
      recipient: { organisation: HILLSIDE },
      route: 'school-roll',
    });
    // The same incident replayed long after the hub recorded it raises nothing new.
    const replayed = decideEncompass(late, new ChildHistory([roll, late]), {
      now: new Date('2027-01-15T09:00:00Z'),
      calendar,
      notBefore: new Date('2026-12-16T09:00:00Z'),
    });
    expect(replayed).toBeUndefined();
  });
});
