import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ErrorCode, type JigsawError } from '@jigsaw/errors';
import { METROPOLITAN_POLICE } from '@jigsaw/testing';
import type { Viewer } from '@jigsaw/sharing';
import { aControl, anIncident, aRecordBy, stored } from '../testing/history.factory.js';
import { asKnownAt, parseAsKnownAtQuery } from './as-known-at.js';

const childId = randomUUID();
const SCHOOL = 'urn:jigsaw:org:education:school-100001';
const dsl: Viewer = {
  agency: 'education',
  organisation: SCHOOL,
  role: 'designated-safeguarding-lead',
  purpose: 'safeguarding',
  userId: 'as-known-at',
};
const t = (iso: string): Date => new Date(iso);

const incident = anIncident(childId);
const withdrawal = aControl('consent-withdrawn', incident, 'The parent withdrew consent to share.');
// The child is on the school's roll: the school has a legitimate relationship with it.
const onRoll = stored(aRecordBy(childId, SCHOOL, 'education.pupil-on-roll'), t('2026-09-01T08:00:00Z'));
const history = [
  onRoll,
  stored(incident, t('2026-11-20T23:00:00Z')),
  stored(withdrawal, t('2026-11-22T10:00:00Z')),
];
/** What others shared: everything but the viewer's own records. */
const shared = <T extends { event: string } | { source: string }>(items: readonly T[]): T[] =>
  items.filter((item) => ('source' in item ? item.source : item.event.split('#')[0]) !== SCHOOL);

describe('asKnownAt', () => {
  it('given a record shared with schools, then the DSL saw it once it was recorded', () => {
    const { answer, shown } = asKnownAt(childId, { viewer: dsl, at: t('2026-11-21T08:00:00Z') }, history);
    expect(shared(answer.entries).map((e) => e.id)).toEqual([incident.id]);
    expect(Object.keys(shared(answer.entries)[0]!.data ?? {})).not.toContain('narrative');
    expect(answer.withheld).toEqual([]);
    expect(answer.recordedLater).toBe(1);
    expect(shared(shown)).toEqual([
      expect.objectContaining({ event: `${METROPOLITAN_POLICE}#${incident.id}`, level: 'full' }),
    ]);
  });

  it('given the withdrawal recorded later, then after it the DSL saw nothing, and the reason is named', () => {
    const { answer, shown } = asKnownAt(childId, { viewer: dsl, at: t('2026-11-22T10:00:01Z') }, history);
    expect(shared(answer.entries)).toEqual([]);
    expect(shared(shown)).toEqual([]);
    expect(answer.withheld).toEqual([
      expect.objectContaining({
        event: `${METROPOLITAN_POLICE}#${incident.id}`,
        reason: 'consent-withdrawn',
      }),
    ]);
    expect(answer.recordedLater).toBe(0);
  });

  it('judges by when the hub recorded a record, not when it happened', () => {
    // The incident happened on the 20th; the hub recorded it on the 20th at 23:00, so at 22:59 nobody knew.
    const { answer } = asKnownAt(childId, { viewer: dsl, at: t('2026-11-20T22:59:59Z') }, history);
    expect(shared(answer.entries)).toEqual([]);
    expect(answer.withheld).toEqual([]);
    expect(answer.recordedLater).toBe(2);
  });

  it('judges `until` at the moment asked, not now', () => {
    const ending = anIncident(childId, {
      sharing: { ...incident.sharing, until: '2026-12-01T00:00:00Z' },
    });
    const records = [onRoll, stored(ending, t('2026-11-20T23:00:00Z'))];
    const before = asKnownAt(childId, { viewer: dsl, at: t('2026-11-30T23:59:59Z') }, records).answer;
    const after = asKnownAt(childId, { viewer: dsl, at: t('2026-12-01T00:00:00Z') }, records).answer;
    expect(shared(before.entries).map((e) => e.id)).toEqual([ending.id]);
    expect(shared(after.entries)).toEqual([]);
    expect(after.withheld).toEqual([expect.objectContaining({ reason: 'expired' })]);
  });

  it('names the rule for a viewer outside the audience, and ignores the hub’s own events', () => {
    const clinician: Viewer = {
      ...dsl,
      agency: 'health',
      organisation: 'urn:jigsaw:org:health:rj1',
      role: 'clinician',
    };
    const policeOnly = anIncident(childId, {
      sharing: { ...incident.sharing, audience: [{ agency: 'council' }] },
    });
    const access = {
      ...anIncident(childId),
      source: 'urn:jigsaw:org:hub:safeguarding-view',
      type: 'hub.record-accessed',
    };
    const { answer } = asKnownAt(childId, { viewer: clinician, at: t('2026-11-21T00:00:00Z') }, [
      stored(
        aRecordBy(childId, clinician.organisation, 'health.unscheduled-care-attended'),
        t('2026-11-20T20:00:00Z'),
      ),
      stored(policeOnly, t('2026-11-20T23:00:00Z')),
      stored(access, t('2026-11-20T23:30:00Z')),
    ]);
    expect(answer.entries.map((e) => e.source)).toEqual([clinician.organisation]);
    expect(answer.withheld).toEqual([expect.objectContaining({ reason: 'agency-not-in-audience' })]);
    expect(answer.recordedLater).toBe(0);
  });
});

describe('asKnownAt, for an organisation with no relationship with the child', () => {
  it('shows nothing, not even what its audience would allow, and names the rule', () => {
    const other: Viewer = { ...dsl, organisation: 'urn:jigsaw:org:education:school-200002' };
    const { answer, shown } = asKnownAt(childId, { viewer: other, at: t('2026-11-21T08:00:00Z') }, history);
    expect(answer.entries).toEqual([]);
    expect(shown).toEqual([]);
    expect(answer.withheld).toHaveLength(2);
    expect(answer.withheld).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          event: `${METROPOLITAN_POLICE}#${incident.id}`,
          reason: 'no-relationship',
        }),
        expect.objectContaining({ event: `${SCHOOL}#${onRoll.event.id}`, reason: 'no-relationship' }),
      ]),
    );
  });

  it('shows the school what it was shared only while the roll and its 12 months of grace last', () => {
    const left = stored(
      aRecordBy(childId, SCHOOL, 'education.elective-home-education-notified'),
      t('2026-12-01T08:00:00Z'),
    );
    left.event.data = { offRollOn: '2026-12-01' };
    const records = [...history.slice(0, 2), left];
    const within = asKnownAt(childId, { viewer: dsl, at: t('2027-11-30T23:00:00Z') }, records).answer;
    const beyond = asKnownAt(childId, { viewer: dsl, at: t('2027-12-01T00:00:00Z') }, records).answer;
    expect(shared(within.entries).map((e) => e.id)).toEqual([incident.id]);
    expect(beyond.entries).toEqual([]);
    expect(beyond.withheld.map((w) => w.reason)).toContain('no-relationship');
  });
});

describe('parseAsKnownAtQuery', () => {
  const now = t('2026-11-23T00:00:00Z');
  const good = {
    viewer: SCHOOL,
    role: 'designated-safeguarding-lead',
    purpose: 'safeguarding',
    at: '2026-11-21T08:00:00Z',
  };
  const problems = (query: Record<string, unknown>): unknown => {
    try {
      parseAsKnownAtQuery(query, now);
    } catch (error) {
      expect((error as JigsawError).code).toBe(ErrorCode.ValidationFailed);
      return (error as JigsawError).problems;
    }
    throw new Error('expected a validation error');
  };

  it('reads a viewer and a moment', () => {
    expect(parseAsKnownAtQuery(good, now)).toEqual({
      viewer: { ...dsl, userId: 'as-known-at' },
      at: t('2026-11-21T08:00:00Z'),
    });
  });

  it('names every missing field', () => {
    expect(problems({})).toEqual(
      ['viewer', 'role', 'purpose', 'at'].map((field) => ({ field, reason: 'is required' })),
    );
  });

  it.each([
    ['viewer', 'school-100001', 'must be an organisation'],
    ['viewer', 'urn:jigsaw:org:hub:audit', 'must be an organisation'],
    ['role', 'head-teacher', 'must be one of'],
    ['purpose', 'curiosity', 'must be one of'],
    ['at', '2026-11-21', 'must be an ISO 8601 date-time with an offset'],
    ['at', '2026-11-21T08:00:00', 'must be an ISO 8601 date-time with an offset'],
    ['at', '2026-02-30T08:00:00Z', 'must be an ISO 8601 date-time with an offset'],
    ['at', '2026-11-24T00:00:00Z', 'must not be in the future'],
    ['role', ['teacher', 'clinician'], 'must be given once'],
  ])('names %s when it is %j', (field, value, reason) => {
    expect(problems({ ...good, [field]: value })).toEqual([
      { field, reason: expect.stringContaining(reason) },
    ]);
  });
});
