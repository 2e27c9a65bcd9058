import { describe, expect, it } from '@jest/globals';
import { aNhsNumber, aUpn } from '@jigsaw/testing';
import {
  inRecordTerms,
  readCinRecord,
  type CinRecordReading,
  type PlannedEvent,
} from './cin-census.record.js';

const SOURCE = 'urn:jigsaw:org:council:leeds';
const context = { source: SOURCE, secret: 'test-secret' };
const nhsNumber = aNhsNumber();
const upn = aUpn();

/** A child referred by the police, assessed, on a CIN plan, then a child protection plan that ended. */
const fullRecord = {
  LAchildID: 'LC-004417',
  UPN: upn,
  NHSNumber: nhsNumber,
  PersonBirthDate: '2016-04-02',
  GenderCurrent: '2',
  Ethnicity: 'WBRI',
  CINreferralDate: '2026-03-02',
  ReferralSource: '6',
  PrimaryNeedCode: 'N1',
  ReferralNFA: false,
  ReferralDecision: 'assessment',
  ReferralDecisionDate: '2026-03-03',
  Assessments: [
    {
      AssessmentActualStartDate: '2026-03-03',
      AssessmentAuthorisationDate: '2026-04-10',
      AssessmentOutcome: 'child-in-need-plan',
      AssessmentFactors: ['2A', '3A'],
    },
  ],
  CINPlanDates: [{ CINPlanStartDate: '2026-04-11', CINPlanEndDate: '2026-06-01' }],
  ChildProtectionPlans: [
    {
      CPPstartDate: '2026-06-02',
      CPPendDate: '2026-11-20',
      InitialCategoryOfAbuse: 'NEG',
      LatestCategoryOfAbuse: 'EMO',
    },
  ],
  CouncilContact: { Team: 'East', Phone: '0113 222 4403', OutOfHoursPhone: '0113 240 9536' },
};

function eventsOf(reading: CinRecordReading): PlannedEvent[] {
  if ('problems' in reading) throw new Error(`unexpected problems: ${JSON.stringify(reading.problems)}`);
  return reading.events;
}

function problemsOf(reading: CinRecordReading): unknown {
  return 'problems' in reading ? reading.problems : reading.events.map((e) => e.envelope.type);
}

describe('reading a CIN census record', () => {
  it('turns one record into the events it stands for, in the order they happened', () => {
    const events = eventsOf(readCinRecord(fullRecord, context));
    expect(events.map((e) => [e.envelope.type, e.envelope.time])).toEqual([
      ['council.referral-received', '2026-03-02T00:00:00Z'],
      ['council.referral-decided', '2026-03-03T00:00:00Z'],
      ['council.assessment-started', '2026-03-03T00:00:00Z'],
      ['council.assessment-completed', '2026-04-10T00:00:00Z'],
      ['council.child-in-need-plan-started', '2026-04-11T00:00:00Z'],
      ['council.child-in-need-plan-ended', '2026-06-01T00:00:00Z'],
      ['council.child-protection-plan-started', '2026-06-02T00:00:00Z'],
      ['council.child-protection-plan-ended', '2026-11-20T00:00:00Z'],
    ]);
    const [referral, decision, , completed, , , cppStarted, cppEnded] = events.map((e) => e.envelope);
    expect(referral?.data).toEqual({
      receivedAt: '2026-03-02T00:00:00Z',
      referralSource: '6',
      primaryNeedCode: 'N1',
      summary: 'Referral from the police; primary need: abuse or neglect.',
    });
    expect(decision?.data).toEqual({
      receivedAt: '2026-03-02T00:00:00Z',
      decidedAt: '2026-03-03T00:00:00Z',
      decision: 'assessment',
    });
    expect(completed?.data).toEqual({
      startDate: '2026-03-03',
      endDate: '2026-04-10',
      outcome: 'child-in-need-plan',
      factors: ['2A', '3A'],
    });
    expect(cppStarted?.data).toEqual({
      startDate: '2026-06-02',
      category: 'NEG',
      contact: { team: 'East', phone: '0113 222 4403', outOfHoursPhone: '0113 240 9536' },
    });
    expect(cppEnded?.data).toEqual({
      startDate: '2026-06-02',
      endDate: '2026-11-20',
      reason: 'Not stated in the CIN census return',
      latestCategory: 'EMO',
    });
  });

  it('names the child by NHS number, UPN and the council-scoped LAchildID; reads nothing it does not share', () => {
    const [first] = eventsOf(readCinRecord(fullRecord, context));
    expect(first?.envelope.subject).toEqual({
      nhsNumber,
      upn,
      localIds: [{ system: `${SOURCE}/LAchildID`, value: 'LC-004417' }],
      birthDate: '2016-04-02',
    });
    expect(JSON.stringify(first)).not.toContain('WBRI');
    expect(first?.envelope.sharing.basis).toEqual({
      lawfulBasis: 'public-task',
      regime: 'uk-gdpr',
      specialCategory: true,
      condition: 'dpa-2018-sch1-para18',
    });
  });

  it('gives the same ids every time, and ids that carry no identifier', () => {
    const ids = eventsOf(readCinRecord(fullRecord, context)).map((e) => e.envelope.id);
    expect(eventsOf(readCinRecord(structuredClone(fullRecord), context)).map((e) => e.envelope.id)).toEqual(
      ids,
    );
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^cin-[a-z-]+-[0-9a-f]{16}$/);
      for (const identifier of [nhsNumber, upn, 'LC-004417']) expect(id).not.toContain(identifier);
    }
    const otherChild = eventsOf(readCinRecord({ ...fullRecord, LAchildID: 'LC-004418' }, context));
    expect(otherChild.map((e) => e.envelope.id)).not.toContain(ids[0]);
  });

  it('takes UN1 to UN5 as "UPN not known" and leaves the UPN out of the subject', () => {
    const [first] = eventsOf(readCinRecord({ ...fullRecord, UPN: 'UN2' }, context));
    expect(first?.envelope.subject.upn).toBeUndefined();
  });

  it('records a referral closed with no further action as decided that day', () => {
    const nfa = {
      LAchildID: 'LC-9',
      CINreferralDate: '2026-02-01',
      ReferralSource: '2A',
      PrimaryNeedCode: 'N4',
      ReferralNFA: true,
    };
    const events = eventsOf(readCinRecord(nfa, context)).map((e) => e.envelope);
    expect(events.map((e) => e.type)).toEqual(['council.referral-received', 'council.referral-decided']);
    expect(events[1]?.data).toMatchObject({
      decision: 'no-further-action',
      decidedAt: '2026-02-01T00:00:00Z',
    });
  });

  it('puts each episode end after its start, whatever order the record lists plans in', () => {
    const twoPlans = {
      ...fullRecord,
      ChildProtectionPlans: [
        { CPPstartDate: '2026-08-01', InitialCategoryOfAbuse: 'PHY' },
        { CPPstartDate: '2026-03-10', CPPendDate: '2026-07-01', InitialCategoryOfAbuse: 'NEG' },
      ],
    };
    const cpp = eventsOf(readCinRecord(twoPlans, context))
      .map((e) => e.envelope)
      .filter((e) => e.type.includes('child-protection'))
      .map((e) => [e.type, (e.data as { startDate: string }).startDate]);
    expect(cpp).toEqual([
      ['council.child-protection-plan-started', '2026-03-10'],
      ['council.child-protection-plan-ended', '2026-03-10'],
      ['council.child-protection-plan-started', '2026-08-01'],
    ]);
  });
});

describe('refusing a broken CIN census record, naming its fields', () => {
  it.each<[string, unknown, unknown]>([
    ['not an object', 'LC-1', [{ field: '(record)', reason: 'must be an object' }]],
    [
      'missing the referral',
      { LAchildID: 'LC-1' },
      [
        { field: 'CINreferralDate', reason: 'is required' },
        { field: 'ReferralSource', reason: 'is required' },
        { field: 'PrimaryNeedCode', reason: 'is required' },
      ],
    ],
    [
      'bad identifiers and dates',
      {
        ...fullRecord,
        LAchildID: '',
        NHSNumber: '9434765918',
        UPN: 'B801200005002',
        PersonBirthDate: '2016-02-30',
        CINreferralDate: '02/03/2026',
      },
      [
        { field: 'LAchildID', reason: 'is required' },
        { field: 'UPN', reason: 'fails the UPN check letter (or UN1 to UN5 where it is not known)' },
        { field: 'NHSNumber', reason: 'fails the NHS number check digit' },
        { field: 'PersonBirthDate', reason: 'must be a real date (YYYY-MM-DD)' },
        { field: 'CINreferralDate', reason: 'must be a real date (YYYY-MM-DD)' },
      ],
    ],
    [
      'a decision without its date, contradicting NFA',
      { ...fullRecord, ReferralNFA: true, ReferralDecision: 'section-47', ReferralDecisionDate: undefined },
      [
        { field: 'ReferralDecision', reason: 'contradicts ReferralNFA true' },
        { field: 'ReferralDecisionDate', reason: 'is required with ReferralDecision' },
      ],
    ],
    [
      'an authorised assessment without an outcome, and a plan with no start',
      {
        ...fullRecord,
        Assessments: [{ AssessmentActualStartDate: '2026-03-03', AssessmentAuthorisationDate: '2026-04-10' }],
        CINPlanDates: [{ CINPlanEndDate: '2026-06-01' }],
      },
      [
        {
          field: 'Assessments[0].AssessmentOutcome',
          reason: 'is required once the assessment is authorised',
        },
        { field: 'CINPlanDates[0].CINPlanStartDate', reason: 'is required' },
      ],
    ],
    [
      'a child protection plan without a category or a contact',
      { ...fullRecord, ChildProtectionPlans: [{ CPPstartDate: '2026-06-02' }], CouncilContact: undefined },
      [
        { field: 'ChildProtectionPlans[0].InitialCategoryOfAbuse', reason: 'is required' },
        { field: 'CouncilContact.Team', reason: 'is required' },
        { field: 'CouncilContact.Phone', reason: 'is required' },
        { field: 'CouncilContact.OutOfHoursPhone', reason: 'is required' },
      ],
    ],
    [
      'repeating groups that are not arrays of objects',
      {
        ...fullRecord,
        Assessments: { AssessmentActualStartDate: '2026-03-03' },
        CINPlanDates: ['2026-04-11'],
        ReferralNFA: 'no',
      },
      [
        { field: 'ReferralNFA', reason: 'must be true or false' },
        { field: 'Assessments', reason: 'must be an array' },
        { field: 'CINPlanDates[0]', reason: 'must be an object' },
      ],
    ],
  ])('refuses a record %s', (_what, record, expected) => {
    expect(problemsOf(readCinRecord(record, context))).toEqual(expected);
  });

  it('names envelope problems in the record’s own terms', () => {
    const [, , , , , , cppStarted] = eventsOf(
      readCinRecord(
        {
          ...fullRecord,
          ChildProtectionPlans: [{ CPPstartDate: '2026-06-02', InitialCategoryOfAbuse: 'NEGLECT' }],
        },
        context,
      ),
    );
    expect(
      inRecordTerms(
        [
          { field: 'data.category', reason: 'must be one of NEG, PHY, SAB, EMO, MUL' },
          { field: 'data.contact.phone', reason: 'must be a telephone number' },
          { field: 'subject.nhsNumber', reason: 'fails the NHS number check digit' },
          { field: 'sharing.consent.reason', reason: 'is required' },
        ],
        cppStarted!.fields,
      ),
    ).toEqual([
      {
        field: 'ChildProtectionPlans[0].InitialCategoryOfAbuse',
        reason: 'must be one of NEG, PHY, SAB, EMO, MUL',
      },
      { field: 'CouncilContact.Phone', reason: 'must be a telephone number' },
      { field: 'NHSNumber', reason: 'fails the NHS number check digit' },
      { field: 'sharing.consent.reason', reason: 'is required' },
    ]);
  });
});
