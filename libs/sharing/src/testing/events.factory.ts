import { DOMESTIC_ABUSE_INCIDENT_NOTIFIED } from '@jigsaw/contracts';
import { dataschemaFor, type ChildSubject, type RecordedEvent, type SharingDecision } from '@jigsaw/envelope';
import { aNhsNumber, aUpn } from '@jigsaw/testing';
import type { Viewer } from '../viewer.js';

export const MET = 'urn:jigsaw:org:police:met';
export const KENT = 'urn:jigsaw:org:police:kent';
export const LEEDS_COUNCIL = 'urn:jigsaw:org:council:leeds';
export const LEEDS_TEACHING = 'urn:jigsaw:org:health:leeds-teaching';
export const SCHOOL = 'urn:jigsaw:org:education:school-100234';
export const CHILD = '0b7c6f1e-3c1a-4f55-9a55-1f3a2b4c5d6e';

export function aViewer(overrides: Partial<Viewer> = {}): Viewer {
  return {
    agency: 'education',
    organisation: SCHOOL,
    role: 'designated-safeguarding-lead',
    purpose: 'safeguarding',
    userId: 'dsl-1',
    ...overrides,
  };
}

export function aChildSubject(overrides: Partial<ChildSubject> = {}): ChildSubject {
  return {
    nhsNumber: aNhsNumber(),
    upn: aUpn(),
    name: { given: 'Amara', family: 'Example' },
    birthDate: '2016-04-02',
    postcode: 'LS1 4AP',
    ...overrides,
  };
}

/** An Operation Encompass notification as the Met sends it: safeguarding, to the school and the council. */
export function anIncidentNotified(
  overrides: {
    id?: string;
    source?: string;
    childid?: string;
    subject?: ChildSubject;
    sharing?: Partial<SharingDecision>;
    data?: Record<string, unknown>;
  } = {},
): RecordedEvent {
  const source = overrides.source ?? MET;
  return {
    specversion: '1.0',
    id: overrides.id ?? 'met-oe-2026-000123',
    source,
    type: DOMESTIC_ABUSE_INCIDENT_NOTIFIED,
    time: '2026-11-20T22:40:00Z',
    dataschema: dataschemaFor(DOMESTIC_ABUSE_INCIDENT_NOTIFIED, 1),
    subject: overrides.subject ?? aChildSubject(),
    sharing: {
      basis: { lawfulBasis: 'legal-obligation', regime: 'dpa-2018-part-3', specialCategory: false },
      consent: { status: 'not-sought', reason: 'Operation Encompass is a statutory duty' },
      purposes: ['safeguarding'],
      audience: [{ agency: 'education' }, { agency: 'council' }, { agency: 'health' }],
      sensitivity: 'sensitive',
      decidedBy: { role: 'Operation Encompass officer', organisation: source },
      ...overrides.sharing,
    },
    data: {
      incidentReference: 'CAD-4471-20NOV26',
      occurredAt: '2026-11-20T22:15:00Z',
      childPresent: true,
      childInHousehold: true,
      force: { name: 'Metropolitan Police Service', code: 'MPS' },
      contact: { name: 'PC Example', role: 'Operation Encompass officer', phone: '020 7230 1212' },
      summary: 'Police attended a domestic abuse incident at the home last night; the child was present.',
      narrative: 'Police-only narrative: not for schools.',
      riskLevel: 'medium',
      ...overrides.data,
    },
    childid: overrides.childid ?? CHILD,
    recordedtime: '2026-11-20T22:41:00Z',
  };
}

/** A control event (`<agency>.record-retracted`, `police.protective-marker-set`, ...) from `source`. */
export function aControlEvent(
  type: string,
  data: Record<string, unknown>,
  overrides: { id?: string; source?: string; childid?: string; time?: string } = {},
): RecordedEvent {
  const source = overrides.source ?? MET;
  const time = overrides.time ?? '2026-11-21T09:00:00Z';
  return {
    specversion: '1.0',
    id: overrides.id ?? `${type}-1`,
    source,
    type,
    time,
    dataschema: dataschemaFor(type, 1),
    subject: { localIds: [{ system: 'hub', value: overrides.childid ?? CHILD }] },
    sharing: {
      basis: { lawfulBasis: 'public-task', regime: 'uk-gdpr', specialCategory: false },
      consent: { status: 'not-applicable', reason: 'record keeping' },
      // Shared widely on purpose: only the owner-only rule keeps control events from others.
      purposes: ['safeguarding'],
      audience: [{ agency: 'council' }, { agency: 'education' }, { agency: 'health' }, { agency: 'police' }],
      sensitivity: 'standard',
      decidedBy: { role: 'records officer', organisation: source },
    },
    data,
    childid: overrides.childid ?? CHILD,
    recordedtime: time,
  };
}
