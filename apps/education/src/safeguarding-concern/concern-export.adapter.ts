import { SAFEGUARDING_CONCERN_RECORDED } from '@jigsaw/contracts';
import { toCloudEvent, type JigsawEnvelope, type SharingDecision } from '@jigsaw/envelope';
import { isUnknownUpnCode, nhsNumberProblem, upnProblem } from '@jigsaw/identity';
import {
  birthDateProblems,
  notInFuture,
  rowEventId,
  RowReader,
  type AdapterField,
  type AdapterRecord,
  type BatchRow,
} from '@jigsaw/ingest';
import {
  type ConcernCategory,
  type SafeguardingConcernRecordedData,
} from './safeguarding-concern-recorded.event.js';

/**
 * A school safeguarding tool's concern export (CPOMS, MyConcern and the like): one row per concern.
 * A pupil is named by UPN; where the MIS has only an unknown-UPN code (UN1 to UN5) the row needs the
 * NHS number or the school's own pupil id instead. Unknown columns are ignored.
 */
export const CONCERN_EXPORT_FIELDS: readonly AdapterField[] = [
  { key: 'concernId', column: 'concern_id', required: true },
  { key: 'pupilUpn', column: 'pupil_upn', required: true },
  { key: 'pupilMisId', column: 'pupil_mis_id' },
  { key: 'pupilNhsNumber', column: 'pupil_nhs_number' },
  { key: 'pupilGivenName', column: 'pupil_given_name', required: true },
  { key: 'pupilFamilyName', column: 'pupil_family_name', required: true },
  { key: 'pupilDateOfBirth', column: 'pupil_dob', required: true },
  { key: 'concernDate', column: 'concern_date', required: true },
  { key: 'category', column: 'category', required: true },
  { key: 'summary', column: 'summary', required: true },
  { key: 'recordedBy', column: 'recorded_by', required: true },
  { key: 'recordedByRole', column: 'recorded_by_role' },
  { key: 'actions', column: 'actions' },
  { key: 'schoolUrn', column: 'school_urn' },
  { key: 'schoolName', column: 'school_name' },
];

export const CONCERN_EXPORT_SENDER_FIELDS: Readonly<Record<string, string>> = {
  time: 'concernDate',
  'data.occurredAt': 'concernDate',
  'data.concernReference': 'concernId',
  'subject.upn': 'pupilUpn',
  'subject.nhsNumber': 'pupilNhsNumber',
  'subject.name.given': 'pupilGivenName',
  'subject.name.family': 'pupilFamilyName',
  'subject.birthDate': 'pupilDateOfBirth',
  'data.category': 'category',
  'data.summary': 'summary',
  'data.actions': 'actions',
  'data.recordedBy.name': 'recordedBy',
  'data.recordedBy.role': 'recordedByRole',
  'data.school.urn': 'schoolUrn',
  'data.school.name': 'schoolName',
};

/** Schools name categories their own way; these are the labels the common tools ship with. */
const CATEGORY_LABELS: Readonly<Record<string, ConcernCategory>> = {
  'physical-abuse': 'physical-abuse',
  physical: 'physical-abuse',
  'emotional-abuse': 'emotional-abuse',
  emotional: 'emotional-abuse',
  'sexual-abuse': 'sexual-abuse',
  neglect: 'neglect',
  'domestic-abuse': 'domestic-abuse',
  'domestic-violence': 'domestic-abuse',
  'operation-encompass': 'domestic-abuse',
  'child-on-child-abuse': 'child-on-child-abuse',
  'peer-on-peer-abuse': 'child-on-child-abuse',
  'online-safety': 'online-safety',
  'e-safety': 'online-safety',
  'mental-health': 'mental-health',
  'emotional-wellbeing': 'mental-health',
  'self-harm': 'self-harm',
  'criminal-exploitation': 'criminal-exploitation',
  cce: 'criminal-exploitation',
  'county-lines': 'criminal-exploitation',
  'sexual-exploitation': 'sexual-exploitation',
  cse: 'sexual-exploitation',
  radicalisation: 'radicalisation',
  prevent: 'radicalisation',
  extremism: 'radicalisation',
  fgm: 'fgm',
  'missing-education': 'missing-education',
  'missing-from-education': 'missing-education',
  cme: 'missing-education',
  attendance: 'attendance',
  behaviour: 'behaviour',
  other: 'other',
};

export function concernCategoryOf(label: string): ConcernCategory {
  const key = label
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return CATEGORY_LABELS[key] ?? 'other';
}

export interface ConcernExportContext {
  /** The school sending the export (`urn:jigsaw:org:education:<code>`). */
  source: string;
  idSecret: string;
  now: Date;
}

/**
 * Keeping Children Safe in Education: schools share safeguarding concerns with children's social care
 * as a public task; concerns often touch health, so they go as special category data under DPA 2018
 * Sch 1 para 18 (safeguarding of children).
 */
export function concernExportSharing(source: string): SharingDecision {
  return {
    basis: {
      lawfulBasis: 'public-task',
      regime: 'uk-gdpr',
      specialCategory: true,
      condition: 'dpa-2018-sch1-para18',
    },
    consent: {
      status: 'not-sought',
      reason:
        'Safeguarding concern shared under Keeping Children Safe in Education; seeking consent could place the child at risk or delay protection',
    },
    purposes: ['safeguarding'],
    audience: [{ agency: 'council' }],
    sensitivity: 'sensitive',
    decidedBy: { role: 'Designated safeguarding lead', organisation: source },
  };
}

export function concernExportRow(
  record: AdapterRecord,
  nameOf: (key: string) => string,
  { source, idSecret, now }: ConcernExportContext,
): BatchRow {
  const r = new RowReader(record, nameOf);
  const concernId = r.text('concernId', { required: true, max: 100 });
  const rawUpn = r.text('pupilUpn')?.toUpperCase();
  const misId = r.text('pupilMisId', { max: 100 });
  const nhsNumber = r.text('pupilNhsNumber')?.replace(/\s+/g, '');
  if (nhsNumber !== undefined) {
    const problem = nhsNumberProblem(nhsNumber);
    if (problem) r.problem('pupilNhsNumber', problem);
  }
  const otherId = nhsNumber !== undefined || misId !== undefined;
  const others = `${nameOf('pupilNhsNumber')} or ${nameOf('pupilMisId')}`;
  let upn: string | undefined;
  if (rawUpn === undefined) {
    if (!otherId) r.problem('pupilUpn', `is required unless ${others} is given`);
  } else if (isUnknownUpnCode(rawUpn)) {
    if (!otherId) r.problem('pupilUpn', `is an unknown-UPN code (UN1 to UN5): the row needs ${others}`);
  } else {
    const problem = upnProblem(rawUpn);
    if (problem) r.problem('pupilUpn', problem);
    else upn = rawUpn;
  }
  const given = r.text('pupilGivenName', { required: true, max: 100 });
  const family = r.text('pupilFamilyName', { required: true, max: 100 });
  const birthDate = r.date('pupilDateOfBirth', { required: true });
  for (const p of birthDateProblems(nameOf('pupilDateOfBirth'), birthDate, now)) r.problems.push(p);
  const occurredAt = r.dateTime('concernDate', { required: true });
  for (const p of notInFuture(nameOf('concernDate'), occurredAt, now)) r.problems.push(p);
  const label = r.text('category', { required: true, max: 100 });
  const summary = r.text('summary', { required: true, max: 2000 });
  const recordedBy = r.text('recordedBy', { required: true, max: 100 });
  const recordedByRole = r.text('recordedByRole', { max: 100 });
  const actions = (r.text('actions') ?? '')
    .split(/[;\n|]/)
    .map((a) => a.trim())
    .filter((a) => a.length > 0);
  if (actions.length > 20) r.problem('actions', 'must list at most 20 actions');
  if (actions.some((a) => a.length > 500))
    r.problem('actions', 'must keep each action to at most 500 characters');
  const schoolUrn = r.text('schoolUrn');
  if (schoolUrn !== undefined && !/^\d{6}$/.test(schoolUrn))
    r.problem('schoolUrn', 'must be a 6-digit school URN');
  const schoolName = r.text('schoolName', { max: 200 });
  if ((schoolUrn === undefined) !== (schoolName === undefined)) {
    r.problem(
      schoolUrn === undefined ? 'schoolUrn' : 'schoolName',
      `is required with ${nameOf(schoolUrn === undefined ? 'schoolName' : 'schoolUrn')}`,
    );
  }

  if (r.problems.length > 0 || !concernId || !birthDate || !occurredAt || !label || !summary || !recordedBy) {
    return { row: r.row, problems: r.problems };
  }
  const category = concernCategoryOf(label);
  const envelope: JigsawEnvelope<string, SafeguardingConcernRecordedData> = {
    specversion: '1.0',
    // The tool's concern id is stable: re-sending an export records nothing new.
    id: rowEventId('concern', concernId, idSecret),
    source,
    type: SAFEGUARDING_CONCERN_RECORDED,
    time: occurredAt,
    dataschema: `urn:jigsaw:schema:${SAFEGUARDING_CONCERN_RECORDED}:v1`,
    subject: {
      ...(upn ? { upn } : {}),
      ...(nhsNumber ? { nhsNumber } : {}),
      ...(misId
        ? { localIds: [{ system: `${source.slice(source.lastIndexOf(':') + 1)}:mis-id`, value: misId }] }
        : {}),
      name: { given, family },
      birthDate,
    },
    sharing: concernExportSharing(source),
    data: {
      concernReference: concernId,
      occurredAt,
      category,
      ...(label !== category ? { categoryLabel: label } : {}),
      summary,
      actions,
      recordedBy: { name: recordedBy, role: recordedByRole ?? 'School staff' },
      ...(schoolUrn && schoolName ? { school: { urn: schoolUrn, name: schoolName } } : {}),
    },
  };
  return { row: r.row, envelope: toCloudEvent(envelope) };
}
