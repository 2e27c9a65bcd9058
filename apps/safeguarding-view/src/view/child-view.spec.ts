import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { repoRoot } from '@jigsaw/config';
import { AGENCIES, type Purpose, type RecordedEvent } from '@jigsaw/envelope';
import { isControlEvent, relatedAccess, type Viewer } from '@jigsaw/sharing';
import { chronologyFor } from '@jigsaw/view-model';
import {
  aeClinician,
  EXAMPLE_CHILD_ID,
  EXAMPLE_NOW,
  exampleEvent,
  exampleHistory,
  HILLSIDE,
  LEEDS,
  LEEDS_HOSPITALS,
  rowOf,
  schoolDsl,
  sharingFor,
  socialWorker,
  WEST_YORKSHIRE_POLICE,
} from '../openapi/example-history.js';
import { childViewFor, type ChildView } from './child-view.js';
import { VIEW_EVENT_TYPES } from './view-event-types.js';

const viewOf = (viewer: Viewer, events: readonly RecordedEvent[], now = EXAMPLE_NOW): ChildView =>
  childViewFor(viewer, EXAMPLE_CHILD_ID, events.map(rowOf), now, relatedAccess(viewer)).view;

const ALL_PURPOSES: Purpose[] = ['safeguarding', 'child-protection', 'health-care', 'education-welfare'];
const everyone = (source: string): ReturnType<typeof sharingFor> =>
  sharingFor(source, ALL_PURPOSES, ['council', 'police', 'health', 'education']);

let n = 0;
/** A record shared with every agency for every purpose, unless told otherwise. */
const record = (
  source: string,
  type: string,
  time: string,
  data: Record<string, unknown>,
  sharing = everyone(source),
): RecordedEvent => exampleEvent(source, type, `e-${++n}`, time, data, sharing);
const control = (target: RecordedEvent, action: string, time: string, extra: Record<string, unknown> = {}) =>
  exampleEvent(
    target.source,
    `${target.source.split(':')[3]}.${action}`,
    `ctl-${++n}`,
    time,
    { targetEventId: target.id, reason: 'Entered in error.', ...extra },
    target.sharing,
  );

const cpStart = (startDate: string, category = 'NEG') =>
  record(LEEDS, 'council.child-protection-plan-started', `${startDate}T00:00:00Z`, {
    startDate,
    category,
    contact: { team: 'Front door', phone: '0113 222 4403', outOfHoursPhone: '0113 240 9536' },
  });
const cpEnd = (startDate: string, endDate: string) =>
  record(LEEDS, 'council.child-protection-plan-ended', `${endDate}T00:00:00Z`, {
    startDate,
    endDate,
    reason: 'Risk reduced',
    latestCategory: 'EMO',
  });

describe('the child view, for the example child', () => {
  const history = exampleHistory();

  it("shows the owning council's social worker every status, count and signal, with the plan's category", () => {
    const view = viewOf(socialWorker, history);
    expect(view.statuses.childProtectionPlan).toMatchObject({
      current: true,
      since: '2026-06-02',
      organisation: LEEDS,
      details: { category: 'NEG' },
    });
    expect(view.statuses.schoolOnRoll).toMatchObject({
      current: true,
      since: '2021-09-01',
      organisation: HILLSIDE,
    });
    expect(view.statuses.missing).toMatchObject({
      current: false,
      since: '2026-09-12T17:30:00Z',
      ended: '2026-09-13T02:10:00Z',
      details: { episodeReference: 'MISPER-41', riskLevel: 'medium' },
    });
    // The second incident was retracted: it counts for nobody.
    expect(view.counts).toEqual({
      since: '2025-11-21T09:00:00.000Z',
      emergencyAttendances: 1,
      domesticAbuseIncidents: 1,
      missingEpisodes: 1,
      exclusions: 1,
    });
    expect(view.signals.map((s) => s.code)).toEqual([
      'multi-agency-concerns',
      'emergency-attendance-on-plan',
    ]);
    expect(view.signals[0]!.explanation).toBe(
      '3 agencies raised concerns within 90 days (2026-09-12 to 2026-10-06): police (reported missing, ' +
        'domestic abuse incident); health (health practitioner concern); education (school safeguarding concern).',
    );
    expect(view.signals[1]!.explanation).toBe(
      'An unscheduled care attendance while on a child protection plan: emergency-department on 2026-11-21 ' +
        '(plan since 2026-06-02).',
    );
    expect(view.agencies.map((a) => [a.organisation, a.records, a.leadPractitioner?.name])).toEqual([
      [LEEDS, 3, 'Sam Example'],
      [WEST_YORKSHIRE_POLICE, 3, 'DC Example'],
      ['urn:jigsaw:org:health:leeds-community', 1, undefined],
      [LEEDS_HOSPITALS, 1, undefined],
      [HILLSIDE, 3, 'Ms Example'],
    ]);
    expect(view).not.toHaveProperty('cpis');
  });

  it("shows the school's safeguarding lead no category, no hospital visit and no police-only referral", () => {
    const view = viewOf(schoolDsl, history);
    expect(view.statuses.childProtectionPlan).toEqual({
      current: true,
      since: '2026-06-02',
      organisation: LEEDS,
      details: {
        contact: {
          team: 'Children’s Social Work Service, East',
          phone: '0113 222 4403',
          outOfHoursPhone: '0113 240 9536',
        },
      },
    });
    expect(view.statuses.missing.details).toEqual({ riskLevel: 'medium' });
    expect(view.counts).toMatchObject({ emergencyAttendances: 0, domesticAbuseIncidents: 1, exclusions: 1 });
    expect(view.signals.map((s) => s.code)).toEqual(['multi-agency-concerns']);
    expect(view.agencies.find((a) => a.organisation === LEEDS)?.records).toBe(2);
    expect(view.agencies.some((a) => a.organisation === LEEDS_HOSPITALS)).toBe(false);
    expect(view).not.toHaveProperty('cpis');
  });

  it('shows an A&E clinician the CP-IS flag with the council to call, and nothing shared only for safeguarding', () => {
    const view = viewOf(aeClinician, history);
    expect(view.cpis).toEqual({
      state: 'flagged',
      childProtectionPlan: { current: true, since: '2026-06-02', organisation: LEEDS },
      council: {
        organisation: LEEDS,
        contact: {
          team: 'Children’s Social Work Service, East',
          phone: '0113 222 4403',
          outOfHoursPhone: '0113 240 9536',
        },
      },
    });
    expect(view.statuses.childProtectionPlan.details).not.toHaveProperty('category');
    expect(view.counts).toMatchObject({
      emergencyAttendances: 1,
      domesticAbuseIncidents: 0,
      missingEpisodes: 0,
      exclusions: 0,
    });
    expect(view.statuses.schoolOnRoll).toEqual({ current: false });
    expect(view.signals.map((s) => s.code)).toEqual(['emergency-attendance-on-plan']);
    expect(view.agencies.map((a) => a.organisation)).toEqual([LEEDS, LEEDS_HOSPITALS]);
  });

  it('rests on exactly the records the same viewer sees in the chronology, and says so for the access log', () => {
    for (const viewer of [socialWorker, schoolDsl, aeClinician]) {
      const rows = history.map(rowOf);
      const { view, shown } = childViewFor(
        viewer,
        EXAMPLE_CHILD_ID,
        rows,
        EXAMPLE_NOW,
        relatedAccess(viewer),
      );
      const chronology = chronologyFor(viewer, rows, EXAMPLE_NOW, relatedAccess(viewer));
      expect(shown).toEqual(chronology.shown);
      const ids = new Set(chronology.entries.map((e) => e.id));
      for (const evidence of view.signals.flatMap((s) => s.evidence)) expect(ids).toContain(evidence.id);
      expect(view.agencies.reduce((sum, a) => sum + a.records, 0)).toBe(chronology.entries.length);
    }
  });

  it('answers an auditor with nothing from records it sees only as skeletons', () => {
    const auditor: Viewer = {
      ...socialWorker,
      organisation: 'urn:jigsaw:org:council:camden',
      role: 'auditor',
      purpose: 'audit',
    };
    const { view, shown } = childViewFor(
      auditor,
      EXAMPLE_CHILD_ID,
      history.map(rowOf),
      EXAMPLE_NOW,
      relatedAccess(auditor),
    );
    expect(shown).toEqual([]);
    expect(view.agencies).toEqual([]);
    expect(Object.values(view.statuses).every((s) => !s.current)).toBe(true);
  });

  it('shows nothing to a purpose the records were not shared for', () => {
    const view = viewOf({ ...schoolDsl, purpose: 'early-help' }, history);
    // The school's own records are its own whatever the purpose.
    expect(view.agencies.map((a) => a.organisation)).toEqual([HILLSIDE]);
    expect(view.statuses.childProtectionPlan).toEqual({ current: false });
  });
});

describe('statuses', () => {
  it('reads a plan that ended as ended, with the category it ended with', () => {
    const view = viewOf(socialWorker, [cpStart('2026-01-10'), cpEnd('2026-01-10', '2026-07-01')]);
    expect(view.statuses.childProtectionPlan).toMatchObject({
      current: false,
      since: '2026-01-10',
      ended: '2026-07-01',
      details: { category: 'EMO' },
    });
  });

  it('pairs an end with its start by date, so a second plan after the first stays current', () => {
    const view = viewOf(socialWorker, [
      cpStart('2025-02-01'),
      cpEnd('2025-02-01', '2025-09-01'),
      cpStart('2026-03-01', 'PHY'),
    ]);
    expect(view.statuses.childProtectionPlan).toMatchObject({
      current: true,
      since: '2026-03-01',
      details: { category: 'PHY' },
    });
  });

  it('honours a correction of the start date and of the category', () => {
    const start = cpStart('2026-02-01');
    const corrected = control(start, 'record-corrected', '2026-02-03T00:00:00Z', {
      corrections: { startDate: '2026-01-28', category: 'SAB' },
    });
    const end = cpEnd('2026-01-28', '2026-06-01');
    expect(viewOf(socialWorker, [start, corrected]).statuses.childProtectionPlan).toMatchObject({
      current: true,
      since: '2026-01-28',
      details: { category: 'SAB' },
    });
    expect(viewOf(socialWorker, [start, corrected, end]).statuses.childProtectionPlan).toMatchObject({
      current: false,
      ended: '2026-06-01',
    });
  });

  it('hides a restricted, retracted or withdrawn plan from partners, and brings back a lifted restriction', () => {
    const start = cpStart('2026-02-01');
    for (const action of ['record-restricted', 'record-retracted', 'consent-withdrawn']) {
      const hidden = [start, control(start, action, '2026-02-02T00:00:00Z')];
      expect(viewOf(schoolDsl, hidden).statuses.childProtectionPlan).toEqual({ current: false });
      expect(viewOf(aeClinician, hidden).cpis).toEqual({ state: 'not-flagged' });
    }
    const restricted = control(start, 'record-restricted', '2026-02-02T00:00:00Z');
    const lifted = control(start, 'restriction-lifted', '2026-02-03T00:00:00Z');
    expect(viewOf(schoolDsl, [start, restricted, lifted]).statuses.childProtectionPlan.current).toBe(true);
  });

  it("rests nothing of the owner's own view on its retracted or withdrawn records", () => {
    const start = cpStart('2026-02-01');
    for (const action of ['record-retracted', 'consent-withdrawn']) {
      const gone = [start, control(start, action, '2026-02-02T00:00:00Z')];
      expect(viewOf(socialWorker, gone).statuses.childProtectionPlan).toEqual({ current: false });
      expect(viewOf(socialWorker, gone).agencies).toEqual([]);
      const { shown } = childViewFor(
        socialWorker,
        EXAMPLE_CHILD_ID,
        gone.map(rowOf),
        EXAMPLE_NOW,
        'legitimate-relationship',
      );
      expect(shown).toEqual([]);
      // Its chronology still shows the record, marked.
      const entries = chronologyFor(
        socialWorker,
        gone.map(rowOf),
        EXAMPLE_NOW,
        'legitimate-relationship',
      ).entries;
      expect(entries.map((e) => e.standing)).toEqual([
        expect.objectContaining(action === 'record-retracted' ? { retracted: true } : { withdrawn: true }),
      ]);
    }
    const restricted = [start, control(start, 'record-restricted', '2026-02-02T00:00:00Z')];
    expect(viewOf(socialWorker, restricted).statuses.childProtectionPlan.current).toBe(true);
  });

  it('ignores a control event from another organisation aimed at the record', () => {
    const start = cpStart('2026-02-01');
    const foreign = {
      ...control(start, 'record-retracted', '2026-02-02T00:00:00Z'),
      source: 'urn:jigsaw:org:council:camden',
      type: 'council.record-retracted',
    };
    expect(viewOf(schoolDsl, [start, foreign]).statuses.childProtectionPlan.current).toBe(true);
  });

  it('stops showing sharing that has passed its until date', () => {
    const start = record(
      LEEDS,
      'council.child-protection-plan-started',
      '2026-02-01T00:00:00Z',
      { startDate: '2026-02-01', category: 'NEG' },
      {
        ...everyone(LEEDS),
        until: '2026-10-01T00:00:00Z',
      },
    );
    expect(
      viewOf(schoolDsl, [start], new Date('2026-09-30T00:00:00Z')).statuses.childProtectionPlan.current,
    ).toBe(true);
    expect(viewOf(schoolDsl, [start]).statuses.childProtectionPlan.current).toBe(false);
  });

  it('reads looked after with its legal status, and gives a clinician the council to call from its lead practitioner', () => {
    const events = [
      record(LEEDS, 'council.looked-after-started', '2026-03-01T00:00:00Z', {
        startDate: '2026-03-01',
        legalStatus: 'C2',
      }),
      record(LEEDS, 'council.lead-practitioner-assigned', '2026-03-01T00:00:00Z', {
        assignedDate: '2026-03-01',
        name: 'Jo Example',
        role: 'Social worker',
        team: 'Children looked after',
        phone: '0113 222 4500',
        secureEmail: 'jo@leeds.example.gov.uk',
      }),
    ];
    const view = viewOf(aeClinician, events);
    expect(view.statuses.lookedAfter).toEqual({
      current: true,
      since: '2026-03-01',
      organisation: LEEDS,
      details: { legalStatus: 'C2' },
    });
    expect(view.cpis).toEqual({
      state: 'flagged',
      lookedAfter: view.statuses.lookedAfter,
      council: {
        organisation: LEEDS,
        contact: {
          name: 'Jo Example',
          role: 'Social worker',
          team: 'Children looked after',
          phone: '0113 222 4500',
          email: 'jo@leeds.example.gov.uk',
        },
      },
    });
  });

  it('keeps a plan that ended within twelve months in the CP-IS answer, flagged as ended', () => {
    const view = viewOf(aeClinician, [cpStart('2025-03-01'), cpEnd('2025-03-01', '2026-02-01')]);
    expect(view.cpis).toMatchObject({
      state: 'flagged',
      childProtectionPlan: { current: false, ended: '2026-02-01' },
      council: { organisation: LEEDS },
    });
    const long = viewOf(aeClinician, [cpStart('2024-03-01'), cpEnd('2024-03-01', '2025-02-01')]);
    expect(long.cpis).toEqual({ state: 'not-flagged' });
  });

  it('reads child in need and family help episodes', () => {
    const view = viewOf(schoolDsl, [
      record(LEEDS, 'council.child-in-need-plan-started', '2026-01-05T00:00:00Z', {
        startDate: '2026-01-05',
      }),
      record(LEEDS, 'council.family-help-episode-opened', '2025-06-01T00:00:00Z', {
        startDate: '2025-06-01',
        summary: 'Parenting support',
      }),
      record(LEEDS, 'council.family-help-episode-closed', '2025-12-01T00:00:00Z', {
        startDate: '2025-06-01',
        endDate: '2025-12-01',
      }),
    ]);
    expect(view.statuses.childInNeed).toEqual({ current: true, since: '2026-01-05', organisation: LEEDS });
    expect(view.statuses.familyHelp).toEqual({
      current: false,
      since: '2025-06-01',
      ended: '2025-12-01',
      organisation: LEEDS,
    });
  });

  it('takes a child off the roll for home education, and back on at a new school', () => {
    const roll = record(HILLSIDE, 'education.pupil-on-roll', '2021-09-01T08:00:00Z', {
      school: { urn: '123456', name: 'Hillside' },
      onRollFrom: '2021-09-01',
    });
    const home = record(HILLSIDE, 'education.elective-home-education-notified', '2026-03-10T08:00:00Z', {
      notifiedOn: '2026-03-02',
      offRollOn: '2026-03-10',
      reasonGiven: 'Bullying',
    });
    const other = 'urn:jigsaw:org:education:oakwood-academy';
    const back = record(other, 'education.pupil-on-roll', '2026-09-03T08:00:00Z', {
      school: { urn: '654321', name: 'Oakwood' },
      onRollFrom: '2026-09-03',
    });
    const atHome = viewOf(socialWorker, [roll, home]);
    expect(atHome.statuses.schoolOnRoll).toMatchObject({
      current: false,
      since: '2021-09-01',
      ended: '2026-03-10',
    });
    expect(atHome.statuses.electiveHomeEducation).toEqual({
      current: true,
      since: '2026-03-10',
      organisation: HILLSIDE,
      details: { notifiedOn: '2026-03-02' },
    });
    const backAtSchool = viewOf(socialWorker, [roll, home, back]);
    expect(backAtSchool.statuses.schoolOnRoll).toMatchObject({
      current: true,
      since: '2026-09-03',
      organisation: other,
    });
    expect(backAtSchool.statuses.electiveHomeEducation).toMatchObject({
      current: false,
      ended: '2026-09-03',
    });
  });

  it("ends a school's roll on its permanent exclusion, not another school's", () => {
    const roll = record(HILLSIDE, 'education.pupil-on-roll', '2021-09-01T08:00:00Z', {
      onRollFrom: '2021-09-01',
    });
    const excluded = record(HILLSIDE, 'education.permanent-exclusion-recorded', '2026-05-01T08:00:00Z', {
      effectiveDate: '2026-05-01',
      reasonCode: 'PA',
    });
    const elsewhere = { ...excluded, id: 'x-2', source: 'urn:jigsaw:org:education:oakwood-academy' };
    expect(viewOf(socialWorker, [roll, excluded]).statuses.schoolOnRoll).toMatchObject({
      current: false,
      ended: '2026-05-01',
    });
    expect(viewOf(socialWorker, [roll, elsewhere]).statuses.schoolOnRoll.current).toBe(true);
    expect(viewOf(socialWorker, [roll, excluded]).counts.exclusions).toBe(1);
  });

  it('reads a child as missing until a later report says found, even without the episode reference', () => {
    const started = record(WEST_YORKSHIRE_POLICE, 'police.missing-episode-started', '2026-11-20T21:00:00Z', {
      episodeReference: 'M-1',
      missingSince: '2026-11-20T17:00:00Z',
      reportedAt: '2026-11-20T21:00:00Z',
      riskLevel: 'high',
      summary: 'Not home.',
    });
    const found = record(WEST_YORKSHIRE_POLICE, 'police.missing-episode-ended', '2026-11-21T03:00:00Z', {
      episodeReference: 'M-1',
      foundAt: '2026-11-21T03:00:00Z',
      howEnded: 'returned',
      summary: 'Home.',
    });
    // Health sees neither reference: the times alone decide.
    expect(viewOf({ ...aeClinician, purpose: 'safeguarding' }, [started]).statuses.missing).toEqual({
      current: true,
      since: '2026-11-20T17:00:00Z',
      organisation: WEST_YORKSHIRE_POLICE,
      details: { riskLevel: 'high' },
    });
    expect(
      viewOf({ ...aeClinician, purpose: 'safeguarding' }, [started, found]).statuses.missing,
    ).toMatchObject({
      current: false,
      ended: '2026-11-21T03:00:00Z',
    });
  });
});

describe('counts and signals', () => {
  const incident = (occurredAt: string) =>
    record(WEST_YORKSHIRE_POLICE, 'police.domestic-abuse-incident-notified', occurredAt, {
      incidentReference: 'CAD-1',
      occurredAt,
      childPresent: true,
      force: { name: 'West Yorkshire Police' },
      contact: { name: 'PC', phone: '0113 241 3000' },
      summary: 'Incident.',
    });
  const concern = (occurredAt: string) =>
    record(HILLSIDE, 'education.safeguarding-concern-recorded', occurredAt, {
      concernReference: 'C-1',
      occurredAt,
      category: 'neglect',
      summary: 'Hungry.',
      actions: [],
      recordedBy: { role: 'Teacher' },
    });
  const attendance = (arrivedAt: string) =>
    record(LEEDS_HOSPITALS, 'health.unscheduled-care-attended', arrivedAt, {
      setting: 'minor-injury-unit',
      arrivedAt,
      reason: { system: 'http://snomed.info/sct', code: '1', display: 'Injury' },
      site: { name: 'MIU' },
    });

  it('counts only the twelve months before now', () => {
    const view = viewOf(socialWorker, [
      incident('2025-11-20T09:00:00Z'),
      incident('2025-11-22T09:00:00Z'),
      incident('2026-11-21T08:00:00Z'),
    ]);
    expect(view.counts.domesticAbuseIncidents).toBe(2);
  });

  it('signals concerns from two agencies within 90 days, and not 91 days apart', () => {
    expect(
      viewOf(socialWorker, [incident('2026-06-01T00:00:00Z'), concern('2026-08-30T00:00:00Z')]).signals,
    ).toEqual([
      {
        code: 'multi-agency-concerns',
        explanation:
          '2 agencies raised concerns within 90 days (2026-06-01 to 2026-08-30): police (domestic abuse incident); ' +
          'education (school safeguarding concern).',
        evidence: [
          expect.objectContaining({ agency: 'police', type: 'police.domestic-abuse-incident-notified' }),
          expect.objectContaining({ agency: 'education', type: 'education.safeguarding-concern-recorded' }),
        ],
      },
    ]);
    expect(
      viewOf(socialWorker, [incident('2026-06-01T00:00:00Z'), concern('2026-08-31T00:00:01Z')]).signals,
    ).toEqual([]);
    expect(
      viewOf(socialWorker, [incident('2026-06-01T00:00:00Z'), incident('2026-06-02T00:00:00Z')]).signals,
    ).toEqual([]);
  });

  it('signals an attendance during a plan, not one before it or after it ended', () => {
    const plan = [cpStart('2026-03-01'), cpEnd('2026-03-01', '2026-06-30')];
    const during = viewOf(socialWorker, [...plan, attendance('2026-06-30T22:00:00Z')]);
    expect(during.signals).toEqual([
      {
        code: 'emergency-attendance-on-plan',
        explanation:
          'An unscheduled care attendance while on a child protection plan: minor-injury-unit on 2026-06-30 ' +
          '(plan from 2026-03-01 to 2026-06-30).',
        evidence: [
          expect.objectContaining({ type: 'council.child-protection-plan-started' }),
          expect.objectContaining({ type: 'council.child-protection-plan-ended' }),
          expect.objectContaining({ type: 'health.unscheduled-care-attended' }),
        ],
      },
    ]);
    expect(viewOf(socialWorker, [...plan, attendance('2026-02-28T12:00:00Z')]).signals).toEqual([]);
    expect(viewOf(socialWorker, [...plan, attendance('2026-07-01T00:00:00Z')]).signals).toEqual([]);
  });

  it('raises no signal on a record the viewer may not see', () => {
    const hiddenFromSchool = record(
      LEEDS_HOSPITALS,
      'health.unscheduled-care-attended',
      '2026-06-01T00:00:00Z',
      {
        setting: 'emergency-department',
        arrivedAt: '2026-06-01T00:00:00Z',
      },
      sharingFor(LEEDS_HOSPITALS, ['safeguarding'], ['council']),
    );
    expect(viewOf(schoolDsl, [cpStart('2026-03-01'), hiddenFromSchool]).signals).toEqual([]);
    expect(viewOf(socialWorker, [cpStart('2026-03-01'), hiddenFromSchool]).signals).toHaveLength(1);
  });
});

describe('the event types the view knows', () => {
  it('are every agency type in schemas/, control events aside', () => {
    const inSchemas = AGENCIES.flatMap((agency) =>
      readdirSync(join(repoRoot(), 'schemas', agency), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => `${agency}.${entry.name}`),
    ).filter((type) => !isControlEvent(type));
    expect(Object.keys(VIEW_EVENT_TYPES).sort()).toEqual(inSchemas.sort());
  });
});
