import { describe, expect, it } from '@jest/globals';
import {
  ASSESSMENT_COMPLETED,
  ASSESSMENT_STARTED,
  CHILD_PROTECTION_PLAN_ENDED,
  CHILD_PROTECTION_PLAN_STARTED,
  LEAD_PRACTITIONER_ASSIGNED,
  LOOKED_AFTER_ENDED,
  LOOKED_AFTER_STARTED,
  REFERRAL_DECIDED,
  REFERRAL_RECEIVED,
} from '@jigsaw/contracts';
import { assessmentCompleted, assessmentStarted } from './assessment/assessment.events.js';
import {
  childProtectionPlanEnded,
  childProtectionPlanStarted,
} from './child-protection-plan/child-protection-plan.events.js';
import { leadPractitionerAssigned } from './lead-practitioner/lead-practitioner-assigned.event.js';
import { lookedAfterEnded, lookedAfterStarted } from './looked-after/looked-after.events.js';
import { referralDecided, referralReceived } from './referral/referral.events.js';
import { aCouncilEvent, CHILD_ID, given } from './testing/council-events.factory.js';

const RECEIVED_AT = '2026-03-02T09:15:00Z';
const referral = aCouncilEvent(REFERRAL_RECEIVED, {
  receivedAt: RECEIVED_AT,
  referralSource: '6',
  primaryNeedCode: 'N1',
  summary: 'Referral from the police; primary need: abuse or neglect.',
});
const decision = (data: Record<string, unknown> = {}) =>
  aCouncilEvent(REFERRAL_DECIDED, {
    receivedAt: RECEIVED_AT,
    decidedAt: '2026-03-02T16:00:00Z',
    decision: 'section-47',
    ...data,
  });
const contact = { team: 'East', phone: '0113 222 4403', outOfHoursPhone: '0113 240 9536' };
const cppStart = (startDate: string) =>
  aCouncilEvent(CHILD_PROTECTION_PLAN_STARTED, { startDate, category: 'NEG', contact });
const cppEnd = (startDate: string, endDate: string) =>
  aCouncilEvent(CHILD_PROTECTION_PLAN_ENDED, { startDate, endDate, reason: 'No longer at risk' });

describe('referrals', () => {
  it('given nothing, when a referral is received, then it is recorded against the hub child', () => {
    const [event] = given([]).when(referralReceived, referral).recorded();
    expect(event).toMatchObject({ type: REFERRAL_RECEIVED, childid: CHILD_ID, data: referral.data });
  });

  it('given nothing, when a referral received tomorrow arrives, then its time is refused', () => {
    const future = aCouncilEvent(REFERRAL_RECEIVED, {
      ...(referral.data as object),
      receivedAt: '2026-12-02T09:00:00Z',
    });
    expect(given([]).when(referralReceived, future).problems()).toEqual([
      { field: 'data.receivedAt', reason: 'must not be in the future' },
    ]);
  });

  it('given a referral, when it is decided, then the decision records both times', () => {
    const [event] = given([referral]).when(referralDecided, decision()).recorded();
    expect(event?.data).toEqual({
      receivedAt: RECEIVED_AT,
      decidedAt: '2026-03-02T16:00:00Z',
      decision: 'section-47',
    });
  });

  it('given no referral, when a decision arrives, then it must name a referral in the history', () => {
    expect(given([]).when(referralDecided, decision()).problems()).toEqual([
      {
        field: 'data.receivedAt',
        reason: "must be the receivedAt of a council.referral-received in this child's history",
      },
    ]);
  });

  it('given a decided referral, when it is decided again, then the second decision is refused', () => {
    expect(given([referral, decision()]).when(referralDecided, decision()).problems()).toEqual([
      { field: 'data.receivedAt', reason: 'names a referral that was already decided' },
    ]);
  });

  it('given a referral, when the decision predates it, then the decision time is refused', () => {
    expect(
      given([referral])
        .when(referralDecided, decision({ decidedAt: '2026-03-01T10:00:00Z' }))
        .problems(),
    ).toEqual([{ field: 'data.decidedAt', reason: 'must not be before data.receivedAt' }]);
  });
});

describe('assessments', () => {
  const started = aCouncilEvent(ASSESSMENT_STARTED, { startDate: '2026-03-03' });
  const completed = (data: Record<string, unknown> = {}) =>
    aCouncilEvent(ASSESSMENT_COMPLETED, {
      startDate: '2026-03-03',
      endDate: '2026-04-10',
      outcome: 'child-in-need-plan',
      ...data,
    });

  it('given a started assessment, when it is completed, then the outcome is recorded', () => {
    expect(given([started]).when(assessmentCompleted, completed()).recorded()).toHaveLength(1);
  });

  it('given no started assessment, when one is completed, then it must name an open one', () => {
    expect(given([]).when(assessmentCompleted, completed()).problems()).toEqual([
      {
        field: 'data.startDate',
        reason:
          "must be the start date of an open assessment (council.assessment-started) in this child's history",
      },
    ]);
  });

  it('given a completed assessment, when it is completed again, then it is no longer open', () => {
    expect(given([started, completed()]).when(assessmentCompleted, completed()).problems()).toHaveLength(1);
  });

  it('given a started assessment, when it ends in the future or before it started, then the end date is refused', () => {
    const wrong = completed({ startDate: '2026-03-03', endDate: '2027-01-01' });
    expect(given([started]).when(assessmentCompleted, wrong).problems()).toEqual([
      { field: 'data.endDate', reason: 'must not be in the future' },
    ]);
    expect(
      given([started])
        .when(assessmentCompleted, completed({ endDate: '2026-03-01' }))
        .problems(),
    ).toEqual([{ field: 'data.endDate', reason: 'must not be before data.startDate' }]);
  });

  it('given an open assessment, when another starts on another date, then both may run', () => {
    const second = aCouncilEvent(ASSESSMENT_STARTED, { startDate: '2026-05-01' });
    expect(given([started]).when(assessmentStarted, second).recorded()).toHaveLength(1);
    expect(given([started]).when(assessmentStarted, started).problems()).toEqual([
      { field: 'data.startDate', reason: 'an assessment starting on this date is already open' },
    ]);
  });
});

describe('child protection plans', () => {
  it('given no plan, when a plan starts, then category and contact are recorded', () => {
    const [event] = given([]).when(childProtectionPlanStarted, cppStart('2026-06-02')).recorded();
    expect(event?.data).toEqual({ startDate: '2026-06-02', category: 'NEG', contact });
  });

  it('given an open plan, when another starts, then it is refused: one plan at a time', () => {
    expect(
      given([cppStart('2026-06-02')])
        .when(childProtectionPlanStarted, cppStart('2026-07-01'))
        .problems(),
    ).toEqual([
      {
        field: 'data.startDate',
        reason: 'a child protection plan is already open for this child; end it before starting another',
      },
    ]);
  });

  it('given an ended plan, when a new plan starts, then it is recorded', () => {
    const history = [cppStart('2026-01-02'), cppEnd('2026-01-02', '2026-05-01')];
    expect(given(history).when(childProtectionPlanStarted, cppStart('2026-06-02')).recorded()).toHaveLength(
      1,
    );
  });

  it('given no plan, when a plan ends, then the end is refused', () => {
    expect(given([]).when(childProtectionPlanEnded, cppEnd('2026-06-02', '2026-11-20')).problems()).toEqual([
      {
        field: 'data.startDate',
        reason:
          "must be the start date of an open child protection plan (council.child-protection-plan-started) in this child's history",
      },
    ]);
  });

  it('given an open plan, when it ends on a future date, then the end date is refused', () => {
    expect(
      given([cppStart('2026-06-02')])
        .when(childProtectionPlanEnded, cppEnd('2026-06-02', '2026-12-25'))
        .problems(),
    ).toEqual([{ field: 'data.endDate', reason: 'must not be in the future' }]);
  });
});

describe('looked after and lead practitioner', () => {
  it('given a period of care, when it ends, then it is recorded; when none is open, refused', () => {
    const start = aCouncilEvent(LOOKED_AFTER_STARTED, { startDate: '2026-07-14', legalStatus: 'C2' });
    const end = aCouncilEvent(LOOKED_AFTER_ENDED, {
      startDate: '2026-07-14',
      endDate: '2026-10-01',
      reasonCode: 'E13',
    });
    expect(given([]).when(lookedAfterStarted, start).recorded()).toHaveLength(1);
    expect(given([start]).when(lookedAfterEnded, end).recorded()).toHaveLength(1);
    expect(
      given([])
        .when(lookedAfterEnded, end)
        .problems()
        .map((p) => p.field),
    ).toEqual(['data.startDate']);
  });

  it('when a lead practitioner is assigned from tomorrow, then the date is refused', () => {
    const assigned = aCouncilEvent(LEAD_PRACTITIONER_ASSIGNED, {
      assignedDate: '2026-12-03',
      name: 'Sam Example',
      role: 'Social worker',
      team: 'East',
      phone: '0113 222 4403',
      secureEmail: 'sam.example@leeds.gov.uk',
    });
    expect(given([]).when(leadPractitionerAssigned, assigned).problems()).toEqual([
      { field: 'data.assignedDate', reason: 'must not be in the future' },
    ]);
  });
});
