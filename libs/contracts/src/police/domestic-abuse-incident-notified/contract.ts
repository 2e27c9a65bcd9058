import type { Contract } from '../../contract.js';

export const DOMESTIC_ABUSE_INCIDENT_NOTIFIED = 'police.domestic-abuse-incident-notified';

export const domesticAbuseIncidentNotified = {
  type: DOMESTIC_ABUSE_INCIDENT_NOTIFIED,
  source: 'police',
  schema: 'schemas/police/domestic-abuse-incident-notified/v1.json',
  /**
   * Operation Encompass shares the minimum. A school's key adult needs to know that something happened
   * last night, whether the child saw it, and whom to call: not the police narrative, the risk grading or
   * the crime reference. Children's social care gets the risk level and reference too, to decide on a
   * referral or strategy discussion and to cite the incident to police, but not the narrative: it is
   * about adults and alleged offences (DPA 2018 Part 3) and comes through the strategy discussion on
   * request. Health gets only what helps a clinician ask the right question. Another force shares the
   * same regime and already sees the record through the Police National Database, so it gets everything.
   */
  audience: {
    education: ['occurredAt', 'childPresent', 'childInHousehold', 'force.name', 'contact', 'summary'],
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
  personalData: ['summary', 'narrative'],
  kept: ['incidentReference', 'force.name', 'force.code', 'contact.name', 'contact.role'],
  label: 'Domestic abuse incident',
  view: { at: ['occurredAt'], concern: true },
} satisfies Contract<typeof DOMESTIC_ABUSE_INCIDENT_NOTIFIED>;
