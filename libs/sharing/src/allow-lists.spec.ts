import { describe, expect, it } from '@jest/globals';
import { AGENCIES, type Agency } from '@jigsaw/envelope';
import { allowFields, pickPaths } from './field-allow-list.js';
import { redactionFor } from './redaction.js';
import type { Viewer } from './viewer.js';

/**
 * What another agency's practitioner sees of each type's data, written out here rather than read from
 * the contracts' audience cuts, so that a field added to or dropped from a cut fails a test and is a
 * deliberate change to this table too. Each rule's reasons are in its contract (libs/contracts).
 */
const DISCLOSED: Readonly<Record<string, Readonly<Record<Agency, readonly string[]>>>> = {
  'council.assessment-completed': {
    council: ['startDate', 'endDate', 'outcome', 'factors', 'summary'],
    education: ['startDate', 'endDate', 'outcome'],
    health: ['startDate', 'endDate', 'outcome'],
    police: ['startDate', 'endDate', 'outcome'],
  },
  'council.assessment-started': {
    council: ['startDate', 'summary'],
    education: ['startDate'],
    health: ['startDate'],
    police: ['startDate'],
  },
  'council.child-in-need-plan-ended': {
    council: ['startDate', 'endDate'],
    education: ['startDate', 'endDate'],
    health: ['startDate', 'endDate'],
    police: ['startDate', 'endDate'],
  },
  'council.child-in-need-plan-started': {
    council: ['startDate'],
    education: ['startDate'],
    health: ['startDate'],
    police: ['startDate'],
  },
  'council.child-protection-plan-ended': {
    council: ['startDate', 'endDate', 'reason', 'latestCategory'],
    education: ['startDate', 'endDate'],
    health: ['startDate', 'endDate'],
    police: ['startDate', 'endDate', 'reason', 'latestCategory'],
  },
  'council.child-protection-plan-started': {
    council: ['startDate', 'category', 'contact'],
    education: ['startDate', 'contact'],
    health: ['startDate', 'contact'],
    police: ['startDate', 'category', 'contact'],
  },
  'council.family-help-episode-closed': {
    council: ['startDate', 'endDate', 'reason'],
    education: ['startDate', 'endDate'],
    health: ['startDate', 'endDate'],
    police: ['startDate', 'endDate'],
  },
  'council.family-help-episode-opened': {
    council: ['startDate', 'summary'],
    education: ['startDate'],
    health: ['startDate'],
    police: ['startDate'],
  },
  'council.lead-practitioner-assigned': {
    council: ['assignedDate', 'name', 'role', 'team', 'phone', 'secureEmail'],
    education: ['assignedDate', 'name', 'role', 'team', 'phone', 'secureEmail'],
    health: ['assignedDate', 'name', 'role', 'team', 'phone', 'secureEmail'],
    police: ['assignedDate', 'name', 'role', 'team', 'phone', 'secureEmail'],
  },
  'council.looked-after-ended': {
    council: ['startDate', 'endDate', 'reasonCode'],
    education: ['startDate', 'endDate'],
    health: ['startDate', 'endDate'],
    police: ['startDate', 'endDate'],
  },
  'council.looked-after-started': {
    council: ['startDate', 'legalStatus'],
    education: ['startDate', 'legalStatus'],
    health: ['startDate', 'legalStatus'],
    police: ['startDate', 'legalStatus'],
  },
  'council.referral-decided': {
    council: ['receivedAt', 'decidedAt', 'decision', 'summary'],
    education: ['decidedAt', 'decision'],
    health: ['decidedAt', 'decision'],
    police: ['receivedAt', 'decidedAt', 'decision'],
  },
  'council.referral-received': {
    council: ['receivedAt', 'referralSource', 'primaryNeedCode', 'summary'],
    education: ['receivedAt', 'referralSource'],
    health: ['receivedAt', 'referralSource'],
    police: ['receivedAt', 'referralSource', 'primaryNeedCode', 'summary'],
  },
  'education.attendance-concern-raised': {
    council: ['school', 'attendancePercent', 'period', 'summary'],
    education: ['school', 'attendancePercent', 'period', 'summary'],
    health: ['school', 'attendancePercent', 'period'],
    police: ['school', 'attendancePercent', 'period'],
  },
  'education.child-missing-education-reported': {
    council: ['school', 'lastAttendedOn', 'reportedOn', 'reason', 'summary'],
    education: ['school', 'lastAttendedOn', 'reportedOn', 'reason'],
    health: ['school', 'lastAttendedOn', 'reportedOn'],
    police: ['school', 'lastAttendedOn', 'reportedOn', 'reason'],
  },
  'education.elective-home-education-notified': {
    council: ['school', 'notifiedOn', 'offRollOn', 'reasonGiven'],
    education: ['school', 'notifiedOn', 'offRollOn'],
    health: ['notifiedOn', 'offRollOn'],
    police: ['notifiedOn', 'offRollOn'],
  },
  'education.key-adult-registered': {
    council: ['school', 'keyAdult'],
    education: ['school', 'keyAdult'],
    health: ['school', 'keyAdult'],
    police: ['school', 'keyAdult'],
  },
  'education.permanent-exclusion-recorded': {
    council: ['school', 'effectiveDate', 'reasonCode', 'summary'],
    education: ['school', 'effectiveDate', 'reasonCode'],
    health: ['school', 'effectiveDate'],
    police: ['school', 'effectiveDate'],
  },
  'education.pupil-on-roll': {
    council: ['school', 'onRollFrom', 'yearGroup', 'dsl'],
    education: ['school', 'onRollFrom'],
    health: ['school', 'yearGroup'],
    police: ['school', 'dsl'],
  },
  'education.safeguarding-concern-recorded': {
    council: [
      'concernReference',
      'occurredAt',
      'category',
      'summary',
      'actions',
      'recordedBy.role',
      'school',
    ],
    education: ['occurredAt', 'category', 'summary', 'actions', 'school'],
    health: ['occurredAt', 'category', 'school'],
    police: ['occurredAt', 'category', 'summary', 'school'],
  },
  'education.suspension-recorded': {
    council: ['school', 'startDate', 'days', 'reasonCode', 'summary'],
    education: ['school', 'startDate', 'days', 'reasonCode'],
    health: ['school', 'startDate', 'days'],
    police: ['school', 'startDate', 'days'],
  },
  'health.birth-linked': {
    council: ['birthDate'],
    education: [],
    health: ['birthDate', 'unbornRef'],
    police: [],
  },
  'health.mental-health-referral-made': {
    council: ['referredAt', 'service', 'urgency'],
    education: [],
    health: ['referredAt', 'service', 'urgency', 'summary'],
    police: [],
  },
  'health.practitioner-concern-raised': {
    council: ['raisedAt', 'role', 'category', 'summary'],
    education: ['raisedAt', 'role', 'category'],
    health: ['raisedAt', 'role', 'category', 'summary'],
    police: ['raisedAt', 'category'],
  },
  'health.pre-birth-concern-raised': {
    council: ['raisedAt', 'expectedDeliveryDate', 'role', 'summary'],
    education: [],
    health: ['raisedAt', 'expectedDeliveryDate', 'role', 'summary'],
    police: [],
  },
  'health.unscheduled-care-attended': {
    council: ['setting', 'arrivedAt', 'reason', 'site', 'outcome'],
    education: [],
    health: ['setting', 'arrivedAt', 'reason', 'site', 'outcome'],
    police: [],
  },
  'health.was-not-brought': {
    council: ['appointmentAt', 'appointmentType', 'service'],
    education: [],
    health: ['appointmentAt', 'appointmentType', 'service'],
    police: [],
  },
  'police.domestic-abuse-incident-notified': {
    council: [
      'incidentReference',
      'occurredAt',
      'childPresent',
      'childInHousehold',
      'force',
      'contact',
      'summary',
      'riskLevel',
    ],
    education: ['occurredAt', 'childPresent', 'childInHousehold', 'force.name', 'contact', 'summary'],
    health: ['occurredAt', 'childPresent', 'summary'],
    police: [
      'incidentReference',
      'occurredAt',
      'childPresent',
      'childInHousehold',
      'force',
      'contact',
      'summary',
      'narrative',
      'riskLevel',
    ],
  },
  'police.exploitation-concern-raised': {
    council: ['concernReference', 'identifiedAt', 'kind', 'indicators', 'summary', 'nrmReferral', 'contact'],
    education: ['identifiedAt', 'kind', 'contact'],
    health: ['identifiedAt', 'kind'],
    police: ['concernReference', 'identifiedAt', 'kind', 'indicators', 'summary', 'nrmReferral', 'contact'],
  },
  'police.missing-episode-ended': {
    council: ['episodeReference', 'foundAt', 'howEnded', 'returnInterviewOffered', 'summary', 'contact'],
    education: ['foundAt', 'contact'],
    health: ['foundAt'],
    police: ['episodeReference', 'foundAt', 'howEnded', 'returnInterviewOffered', 'summary', 'contact'],
  },
  'police.missing-episode-started': {
    council: [
      'episodeReference',
      'missingSince',
      'reportedAt',
      'riskLevel',
      'missingFrom',
      'summary',
      'contact',
    ],
    education: ['missingSince', 'riskLevel', 'contact'],
    health: ['missingSince', 'riskLevel'],
    police: [
      'episodeReference',
      'missingSince',
      'reportedAt',
      'riskLevel',
      'missingFrom',
      'summary',
      'contact',
    ],
  },
};

const viewerOf = (agency: Agency): Viewer => ({
  agency,
  organisation: `urn:jigsaw:org:${agency}:x`,
  role: 'designated-safeguarding-lead',
  purpose: 'safeguarding',
  userId: 'u1',
});

/** Data holding every given path (each value names its path), with an unlisted sibling at each level. */
function dataWith(paths: readonly string[]): Record<string, unknown> {
  const data: Record<string, unknown> = { unlisted: 'never shown' };
  for (const path of paths) {
    const [head, ...rest] = path.split('.') as [string, ...string[]];
    if (rest.length === 0) data[head] = path;
    else data[head] = { ...(data[head] as object), unlisted: 'never shown', [rest.join('.')]: path };
  }
  return data;
}

/** The given paths of `data`, copied whole: what the viewer should get. */
function only(data: Record<string, unknown>, paths: readonly string[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const path of paths) {
    const [head, ...rest] = path.split('.') as [string, ...string[]];
    const value = data[head] as Record<string, unknown>;
    if (rest.length === 0) result[head] = value;
    else result[head] = { ...(result[head] as object), [rest.join('.')]: value[rest.join('.')] };
  }
  return result;
}

const cases = Object.entries(DISCLOSED).flatMap(([type, byAgency]) =>
  AGENCIES.map((agency) => [type, agency, byAgency[agency]] as const),
);

describe('what each agency sees of each type', () => {
  it.each(cases)('%s, seen by %s', (type, agency, paths) => {
    const all = [...new Set(Object.values(DISCLOSED[type]!).flat())];
    // Where one agency gets a whole object and another one field of it (`force`, `force.name`), the data
    // holds the object, with a field no agency gets.
    const data = dataWith(all.filter((path) => !all.some((other) => other.startsWith(`${path}.`))));
    const rule = redactionFor(type);
    expect(rule).toBeDefined();
    expect(rule!(data, viewerOf(agency))).toStrictEqual(only(data, paths));
  });
});

describe('picking allowed paths', () => {
  it('keeps several fields of one nested object together', () => {
    const data = { contact: { name: 'PC Example', phone: '020', email: 'x@y' } };
    expect(pickPaths(data, ['contact.name', 'contact.phone'])).toStrictEqual({
      contact: { name: 'PC Example', phone: '020' },
    });
  });

  it('leaves out a path the data does not have, rather than adding it empty', () => {
    expect(Object.keys(pickPaths({ a: 1 }, ['b', 'c.d', 'a']))).toEqual(['a']);
  });

  it('follows only the data’s own fields, and only into objects', () => {
    expect(pickPaths({ a: 'text', b: [1, 2] }, ['toString', 'a.length', 'b.0', 'constructor'])).toStrictEqual(
      {},
    );
  });

  it('returns copies, so a change to what was shown leaves the record as it was', () => {
    const data = { contact: { name: 'PC Example' } };
    const picked = pickPaths(data, ['contact']);
    (picked['contact'] as { name: string }).name = 'changed';
    expect(data.contact.name).toBe('PC Example');
  });

  it('shows an agency the list does not name nothing', () => {
    expect(allowFields({ council: ['a'] })({ a: 1 }, viewerOf('education'))).toStrictEqual({});
  });
});
