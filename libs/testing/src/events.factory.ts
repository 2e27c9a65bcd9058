import { randomUUID } from 'node:crypto';
import { DOMESTIC_ABUSE_INCIDENT_NOTIFIED } from '@jigsaw/contracts';
import type { JigsawEnvelope, RecordedEvent, SharingDecision } from '@jigsaw/envelope';
import { aNhsNumber } from './identifiers.factory.js';

export interface IncidentData {
  incidentReference: string;
  occurredAt: string;
  childPresent: boolean;
  childInHousehold?: boolean;
  force: { name: string; code?: string };
  contact: { name: string; role?: string; phone: string; email?: string };
  summary: string;
  narrative?: string;
  riskLevel?: 'standard' | 'medium' | 'high';
}

export const METROPOLITAN_POLICE = 'urn:jigsaw:org:police:met';

export function aPoliceSharingDecision(overrides: Partial<SharingDecision> = {}): SharingDecision {
  return {
    basis: { lawfulBasis: 'legal-obligation', regime: 'dpa-2018-part-3', specialCategory: false },
    consent: {
      status: 'not-sought',
      reason: 'Operation Encompass is a statutory duty; seeking consent could place the child at risk',
    },
    purposes: ['safeguarding', 'child-protection'],
    audience: [{ agency: 'education' }, { agency: 'council' }, { agency: 'health' }],
    sensitivity: 'sensitive',
    decidedBy: { role: 'Operation Encompass officer', organisation: METROPOLITAN_POLICE },
    ...overrides,
  };
}

/** A valid Operation Encompass notification as a police system would post it. */
export function anIncidentNotification(
  overrides: { nhsNumber?: string; id?: string; occurredAt?: string; summary?: string; source?: string } = {},
): JigsawEnvelope<typeof DOMESTIC_ABUSE_INCIDENT_NOTIFIED, IncidentData> {
  const occurredAt = overrides.occurredAt ?? new Date(Date.now() - 3 * 3600_000).toISOString();
  return {
    specversion: '1.0',
    id: overrides.id ?? `oe-${randomUUID()}`,
    source: overrides.source ?? METROPOLITAN_POLICE,
    type: DOMESTIC_ABUSE_INCIDENT_NOTIFIED,
    time: occurredAt,
    dataschema: 'urn:jigsaw:schema:police.domestic-abuse-incident-notified:v1',
    subject: { nhsNumber: overrides.nhsNumber ?? aNhsNumber(), name: { given: 'Test', family: 'Child' } },
    sharing: aPoliceSharingDecision(),
    data: {
      incidentReference: `CAD-${randomUUID().slice(0, 8)}`,
      occurredAt,
      childPresent: true,
      childInHousehold: true,
      force: { name: 'Metropolitan Police Service', code: 'MPS' },
      contact: { name: 'PC Example', role: 'Operation Encompass officer', phone: '020 7230 1212' },
      summary:
        overrides.summary ?? 'Police attended a domestic abuse incident at home; the child was present.',
      narrative: 'Police-only narrative.',
      riskLevel: 'medium',
    },
  };
}

/** The same notification as the hub records it, against a hub child id. */
export function aRecordedEvent(
  overrides: { childid?: string; id?: string; source?: string } = {},
): RecordedEvent {
  return {
    ...anIncidentNotification({
      ...(overrides.id ? { id: overrides.id } : {}),
      ...(overrides.source ? { source: overrides.source } : {}),
    }),
    childid: overrides.childid ?? randomUUID(),
    recordedtime: new Date().toISOString(),
  };
}
