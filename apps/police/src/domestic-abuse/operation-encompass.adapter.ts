import { DOMESTIC_ABUSE_INCIDENT_NOTIFIED } from '@jigsaw/contracts';
import { toCloudEvent, type JigsawEnvelope, type SharingDecision } from '@jigsaw/envelope';
import { nhsNumberProblem } from '@jigsaw/identity';
import {
  birthDateProblems,
  notInFuture,
  rowEventId,
  RowReader,
  type AdapterField,
  type AdapterRecord,
  type BatchRow,
} from '@jigsaw/ingest';
import type { DomesticAbuseIncidentNotifiedData } from './domestic-abuse-incident-notified.event.js';

/**
 * One row per child per incident, as forces send Operation Encompass today (by secure email or a
 * spreadsheet before 08:30). `child_nhs_number` may be empty when `child_person_id` (the force's own
 * person id) is given; unknown columns are ignored.
 */
export const OPERATION_ENCOMPASS_FIELDS: readonly AdapterField[] = [
  { key: 'incidentReference', column: 'incident_reference', required: true },
  { key: 'incidentDateTime', column: 'incident_datetime', required: true },
  { key: 'childNhsNumber', column: 'child_nhs_number', required: true },
  { key: 'childPersonId', column: 'child_person_id' },
  { key: 'childGivenName', column: 'child_given_name', required: true },
  { key: 'childFamilyName', column: 'child_family_name', required: true },
  { key: 'childDateOfBirth', column: 'child_dob', required: true },
  { key: 'schoolUrn', column: 'school_urn' },
  { key: 'childPresent', column: 'child_present', required: true },
  { key: 'childInHousehold', column: 'child_in_household' },
  { key: 'officerName', column: 'officer_name', required: true },
  { key: 'officerRole', column: 'officer_role' },
  { key: 'officerPhone', column: 'officer_phone', required: true },
  { key: 'officerEmail', column: 'officer_email' },
  { key: 'summary', column: 'summary', required: true },
  { key: 'riskLevel', column: 'risk_level' },
  { key: 'forceName', column: 'force_name' },
];

/** Where the hub's own validation names an envelope field, the sender's field it came from. */
export const OPERATION_ENCOMPASS_SENDER_FIELDS: Readonly<Record<string, string>> = {
  time: 'incidentDateTime',
  'data.occurredAt': 'incidentDateTime',
  'data.incidentReference': 'incidentReference',
  'subject.nhsNumber': 'childNhsNumber',
  'subject.name.given': 'childGivenName',
  'subject.name.family': 'childFamilyName',
  'subject.birthDate': 'childDateOfBirth',
  'data.schoolUrn': 'schoolUrn',
  'data.childPresent': 'childPresent',
  'data.childInHousehold': 'childInHousehold',
  'data.contact.name': 'officerName',
  'data.contact.role': 'officerRole',
  'data.contact.phone': 'officerPhone',
  'data.contact.email': 'officerEmail',
  'data.summary': 'summary',
  'data.riskLevel': 'riskLevel',
  'data.force.name': 'forceName',
};

export interface OperationEncompassContext {
  /** The force sending the batch (`urn:jigsaw:org:police:<code>`). */
  source: string;
  /** Keys the row ids, so they are stable across re-sends yet reveal no identifier. */
  idSecret: string;
  now: Date;
}

const PHONE = /^[0-9 +()-]{6,20}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const RISK_LEVELS = ['standard', 'medium', 'high'] as const;
const isRiskLevel = (value: string): value is (typeof RISK_LEVELS)[number] =>
  (RISK_LEVELS as readonly string[]).includes(value);

/**
 * Operation Encompass is a statutory duty to tell the school's key adult before the next school day;
 * police processing is law enforcement (DPA 2018 Part 3), shared for safeguarding under Sch 8 para 4.
 */
export function operationEncompassSharing(source: string): SharingDecision {
  return {
    basis: {
      lawfulBasis: 'legal-obligation',
      regime: 'dpa-2018-part-3',
      specialCategory: false,
      condition: 'dpa-2018-sch8-para4',
    },
    consent: {
      status: 'not-sought',
      reason:
        'Operation Encompass is a statutory duty to share before the next school day; seeking consent could place the child at risk',
    },
    purposes: ['safeguarding'],
    audience: [
      { agency: 'education', roles: ['designated-safeguarding-lead', 'agency-system'] },
      { agency: 'council' },
    ],
    sensitivity: 'sensitive',
    decidedBy: { role: 'Operation Encompass officer', organisation: source },
  };
}

/** One row as an envelope, or the problems, by the sender's own field names, that stop it being one. */
export function operationEncompassRow(
  record: AdapterRecord,
  nameOf: (key: string) => string,
  { source, idSecret, now }: OperationEncompassContext,
): BatchRow {
  const r = new RowReader(record, nameOf);
  const reference = r.text('incidentReference', { required: true, max: 50 });
  const occurredAt = r.dateTime('incidentDateTime', { required: true });
  for (const p of notInFuture(nameOf('incidentDateTime'), occurredAt, now)) r.problems.push(p);

  const nhsNumber = r.text('childNhsNumber')?.replace(/\s+/g, '');
  const personId = r.text('childPersonId', { max: 100 });
  if (nhsNumber !== undefined) {
    const problem = nhsNumberProblem(nhsNumber);
    if (problem) r.problem('childNhsNumber', problem);
  } else if (personId === undefined) {
    r.problem('childNhsNumber', `is required unless ${nameOf('childPersonId')} is given`);
  }
  const given = r.text('childGivenName', { required: true, max: 100 });
  const family = r.text('childFamilyName', { required: true, max: 100 });
  const birthDate = r.date('childDateOfBirth', { required: true });
  for (const p of birthDateProblems(nameOf('childDateOfBirth'), birthDate, now)) r.problems.push(p);
  const schoolUrn = r.text('schoolUrn');
  if (schoolUrn !== undefined && !/^\d{6}$/.test(schoolUrn))
    r.problem('schoolUrn', 'must be a 6-digit school URN');

  const childPresent = r.yesNo('childPresent', { required: true });
  const childInHousehold = r.yesNo('childInHousehold');
  const officerName = r.text('officerName', { required: true, max: 100 });
  const officerRole = r.text('officerRole', { max: 100 });
  const officerPhone = r.text('officerPhone', { required: true });
  if (officerPhone !== undefined && !PHONE.test(officerPhone))
    r.problem('officerPhone', 'must be a telephone number');
  const officerEmail = r.text('officerEmail', { max: 200 });
  if (officerEmail !== undefined && !EMAIL.test(officerEmail))
    r.problem('officerEmail', 'must be an email address');
  const summary = r.text('summary', { required: true, max: 500 });
  const riskText = r.text('riskLevel')?.toLowerCase();
  const riskLevel = riskText !== undefined && isRiskLevel(riskText) ? riskText : undefined;
  if (riskText !== undefined && riskLevel === undefined) {
    r.problem('riskLevel', `must be one of ${RISK_LEVELS.join(', ')}`);
  }
  const forceName = r.text('forceName', { max: 100 });

  if (
    r.problems.length > 0 ||
    !reference ||
    !occurredAt ||
    !birthDate ||
    childPresent === undefined ||
    !officerName ||
    !officerPhone ||
    !summary
  ) {
    return { row: r.row, problems: r.problems };
  }
  const force = source.slice(source.lastIndexOf(':') + 1);
  const envelope: JigsawEnvelope<string, DomesticAbuseIncidentNotifiedData> = {
    specversion: '1.0',
    // The same incident and child always give the same id: re-sending a batch records nothing new.
    id: rowEventId('oe', reference, idSecret, nhsNumber ?? `person-id:${personId}`),
    source,
    type: DOMESTIC_ABUSE_INCIDENT_NOTIFIED,
    time: occurredAt,
    dataschema: `urn:jigsaw:schema:${DOMESTIC_ABUSE_INCIDENT_NOTIFIED}:v1`,
    subject: {
      ...(nhsNumber ? { nhsNumber } : {}),
      ...(personId ? { localIds: [{ system: `${force}:person-id`, value: personId }] } : {}),
      name: { given, family },
      birthDate,
    },
    sharing: operationEncompassSharing(source),
    data: {
      incidentReference: reference,
      occurredAt,
      childPresent,
      ...(childInHousehold !== undefined ? { childInHousehold } : {}),
      force: { name: forceName ?? force },
      contact: {
        name: officerName,
        ...(officerRole ? { role: officerRole } : {}),
        phone: officerPhone,
        ...(officerEmail ? { email: officerEmail } : {}),
      },
      summary,
      ...(riskLevel ? { riskLevel } : {}),
      ...(schoolUrn ? { schoolUrn } : {}),
    },
  };
  return { row: r.row, envelope: toCloudEvent(envelope) };
}
