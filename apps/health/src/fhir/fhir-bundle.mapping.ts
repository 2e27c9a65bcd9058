import { PRACTITIONER_CONCERN_RAISED, UNSCHEDULED_CARE_ATTENDED } from '@jigsaw/contracts';
import type { FieldProblem } from '@jigsaw/errors';
import {
  dataschemaFor,
  type ChildSubject,
  type JigsawEnvelope,
  type SharingDecision,
} from '@jigsaw/envelope';
import { nhsNumberProblem } from '@jigsaw/identity';
import { rowEventId } from '@jigsaw/ingest';
import { SNOMED_CT } from '../unscheduled-care/unscheduled-care-attended.event.js';
import { fhirInstant } from './fhir-date.js';

export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
export const ODS_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';
export const DISCHARGE_DISPOSITION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/discharge-disposition';
/**
 * HL7 has no codes for our four settings or for the hub's concern categories and raising roles, so the
 * hub names its own. A trust maps to them once, in its integration engine.
 */
export const CARE_SETTING_SYSTEM = 'urn:jigsaw:fhir:care-setting';
export const CONCERN_CATEGORY_SYSTEM = 'urn:jigsaw:fhir:concern-category';
export const PRACTITIONER_ROLE_SYSTEM = 'urn:jigsaw:fhir:practitioner-role';

/** An Encounter of class EMER is an emergency department attendance unless it names a narrower setting. */
const SETTING_OF_CLASS: Readonly<Record<string, string>> = { EMER: 'emergency-department' };
const SETTINGS = ['emergency-department', 'minor-injury-unit', 'urgent-treatment-centre', 'maternity'];
const ATTENDED_STATUSES = ['arrived', 'triaged', 'in-progress', 'onleave', 'finished'];
const OUTCOME_OF_DISPOSITION: Readonly<Record<string, string>> = {
  home: 'discharged',
  'alt-home': 'discharged',
  'other-hcf': 'transferred',
  hosp: 'transferred',
  long: 'transferred',
  psy: 'transferred',
  rehab: 'transferred',
  snf: 'transferred',
  aadvice: 'left-before-treatment',
  exp: 'died',
  oth: 'other',
};
const ROLES = ['health-visitor', 'school-nurse', 'midwife', 'gp', 'clinician'];
const CATEGORIES = [
  'neglect',
  'physical-abuse',
  'sexual-abuse',
  'emotional-abuse',
  'domestic-abuse',
  'self-harm',
  'exploitation',
  'other',
];
/** The Bundle types a sender may use: a document of results, a message, or a RESTful exchange. */
export const BUNDLE_TYPES = ['collection', 'message', 'transaction', 'batch', 'searchset'] as const;
/** Without the hub's own role coding, a Flag was raised by a health clinician. */
const DEFAULT_ROLE = 'clinician';

/**
 * Special category health data, shared for safeguarding under Sch 1 para 18. The audience is children's
 * social care (CP-IS's "access to service" notification, and the basis for a strategy discussion) and other
 * health professionals caring for the child. Not schools or police: an attendance or a clinician's concern
 * is clinical detail they do not need; where it matters, the council shares what is necessary.
 */
export function fhirSharing(source: string): SharingDecision {
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
        'Shared to safeguard a child (DPA 2018 Sch 1 para 18); seeking consent could place the child at risk',
    },
    purposes: ['safeguarding', 'health-care'],
    audience: [{ agency: 'council' }, { agency: 'health' }],
    sensitivity: 'sensitive',
    decidedBy: {
      role: 'FHIR adapter (trust safeguarding information sharing agreement)',
      organisation: source,
    },
  };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const objects = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;

export interface BundleEntryPlan {
  /** 0-based, as in the FHIR paths the problems name (`entry[1].resource.period.start`). */
  entry: number;
  resourceType: string;
  envelope?: JigsawEnvelope<string, Json>;
  problems?: FieldProblem[];
  /** Envelope field (`data.arrivedAt`) to FHIR path (`entry[1].resource.period.start`). */
  fields: Readonly<Record<string, string>>;
}

export interface BundleReading {
  mapped: BundleEntryPlan[];
  /** Entries of a type the hub does not take (beyond the Patient and a MessageHeader). */
  ignored: { entry: number; resourceType: string }[];
}

/** The problems that make a body no Bundle at all; the caller answers them with 400. */
export function bundleProblems(body: unknown): FieldProblem[] {
  if (!isObject(body)) return [{ field: '(body)', reason: 'must be a FHIR R4 Bundle (a JSON object)' }];
  const problems: FieldProblem[] = [];
  if (body['resourceType'] !== 'Bundle') problems.push({ field: 'resourceType', reason: 'must be Bundle' });
  if (!(BUNDLE_TYPES as readonly unknown[]).includes(body['type'])) {
    problems.push({ field: 'type', reason: `must be one of ${BUNDLE_TYPES.join(', ')}` });
  }
  if (!Array.isArray(body['entry']))
    problems.push({ field: 'entry', reason: 'is required: an array of entries' });
  return problems;
}

interface PatientReading {
  subject?: ChildSubject;
  problems: FieldProblem[];
  references: Set<string>;
}

/** Each Patient of the Bundle, or else each Patient contained in its resources (referred to as `#id`). */
function patientsOf(entries: readonly unknown[]): { patient: Json; base: string; references: Set<string> }[] {
  const top = entries.flatMap((e, i) => {
    const resource = isObject(e) ? e['resource'] : undefined;
    if (!isObject(e) || !isObject(resource) || resource['resourceType'] !== 'Patient') return [];
    const references = new Set<string>();
    if (str(e['fullUrl'])) references.add(str(e['fullUrl'])!);
    if (str(resource['id'])) references.add(`Patient/${str(resource['id'])}`);
    return [{ patient: resource, base: `entry[${i}].resource`, references }];
  });
  if (top.length > 0) return top;
  return entries.flatMap((e, i) => {
    const resource = isObject(e) ? e['resource'] : undefined;
    if (!isObject(resource)) return [];
    return objects(resource['contained']).flatMap((c, j) =>
      c['resourceType'] === 'Patient'
        ? [
            {
              patient: c,
              base: `entry[${i}].resource.contained[${j}]`,
              references: new Set(str(c['id']) ? [`#${str(c['id'])}`] : []),
            },
          ]
        : [],
    );
  });
}

function readPatient(entries: readonly unknown[]): PatientReading {
  const found = patientsOf(entries);
  if (found.length !== 1) {
    return {
      problems: [{ field: 'entry', reason: `must hold exactly one Patient (found ${found.length})` }],
      references: new Set(),
    };
  }
  const { patient, base, references } = found[0]!;
  const identifiers = objects(patient['identifier']);
  const at = identifiers.findIndex((id) => id['system'] === NHS_NUMBER_SYSTEM);
  if (at < 0) {
    return {
      problems: [
        { field: `${base}.identifier`, reason: `must include an NHS number (system ${NHS_NUMBER_SYSTEM})` },
      ],
      references,
    };
  }
  const nhsNumber = identifiers[at]!['value'];
  const problem = nhsNumberProblem(nhsNumber);
  if (problem)
    return { problems: [{ field: `${base}.identifier[${at}].value`, reason: problem }], references };
  const names = objects(patient['name']);
  const name = names.find((n) => n['use'] === 'official') ?? names[0];
  const given = Array.isArray(name?.['given']) ? str(name['given'][0]) : undefined;
  const family = str(name?.['family']);
  const birthDate = str(patient['birthDate']);
  return {
    problems: [],
    references,
    subject: {
      nhsNumber: nhsNumber as string,
      ...(given || family ? { name: { ...(given ? { given } : {}), ...(family ? { family } : {}) } } : {}),
      // FHIR allows a year or year-month; the hub records only a whole date.
      ...(birthDate && /^\d{4}-\d{2}-\d{2}$/.test(birthDate) ? { birthDate } : {}),
    },
  };
}

/** The first coding of `system` in any of the CodeableConcepts, with its path. */
function codingIn(
  concepts: { path: string; value: unknown }[],
  system: string,
): { coding: Json; path: string; text?: string } | undefined {
  for (const { path, value } of concepts) {
    const list: { c: unknown; p: string }[] = Array.isArray(value)
      ? (value as unknown[]).map((c, i) => ({ c, p: `${path}[${i}]` }))
      : [{ c: value, p: path }];
    for (const { c, p } of list) {
      if (!isObject(c)) continue;
      const codings: unknown[] = Array.isArray(c['coding']) ? (c['coding'] as unknown[]) : [];
      const at = codings.findIndex((coding) => isObject(coding) && coding['system'] === system);
      if (at >= 0)
        return {
          coding: codings[at] as Json,
          path: `${p}.coding[${at}]`,
          ...(str(c['text']) ? { text: str(c['text'])! } : {}),
        };
    }
  }
  return undefined;
}

/** A stable key for the resource, so the same attendance sent again gets the same event id. */
function resourceKey(entry: Json, resource: Json): string | undefined {
  const identifier = objects(resource['identifier'])[0];
  if (identifier && str(identifier['value']))
    return `identifier|${str(identifier['system']) ?? ''}|${str(identifier['value'])}`;
  if (str(resource['id'])) return `id|${str(resource['id'])}`;
  return str(entry['fullUrl']) ? `fullUrl|${str(entry['fullUrl'])}` : undefined;
}

/** The element resourceKey read, named as an event id's problem is named back to the sender. */
function keyField(resource: Json, base: string): string {
  const identifier = objects(resource['identifier'])[0];
  if (identifier && str(identifier['value'])) return `${base}.identifier[0]`;
  return str(resource['id']) ? `${base}.id` : `${base.replace(/\.resource$/, '')}.fullUrl`;
}

interface Context {
  source: string;
  secret: string;
  patient: PatientReading;
  entries: readonly unknown[];
}

function checkSubjectReference(
  resource: Json,
  base: string,
  patient: PatientReading,
  problems: FieldProblem[],
): void {
  const subject = resource['subject'];
  const reference = isObject(subject) ? str(subject['reference']) : undefined;
  if (reference !== undefined && patient.references.size > 0 && !patient.references.has(reference)) {
    problems.push({ field: `${base}.subject.reference`, reason: "must refer to the Bundle's Patient" });
  }
}

function period(resource: Json, base: string, problems: FieldProblem[]): string | undefined {
  const start = isObject(resource['period']) ? resource['period']['start'] : undefined;
  if (start === undefined) {
    problems.push({ field: `${base}.period.start`, reason: 'is required' });
    return undefined;
  }
  const instant = fhirInstant(start);
  if (instant === undefined) {
    problems.push({
      field: `${base}.period.start`,
      reason: 'must be a FHIR dateTime: a date (YYYY, YYYY-MM, YYYY-MM-DD) or a date and time with a zone',
    });
  }
  return instant;
}

/** The resource a reference names: in the Bundle (by fullUrl or Type/id) or contained (`#id`). */
function resolve(
  reference: string | undefined,
  from: Json,
  bundle: { entries: readonly unknown[] },
): Json | undefined {
  if (reference === undefined) return undefined;
  if (reference.startsWith('#'))
    return objects(from['contained']).find((c) => `#${str(c['id'])}` === reference);
  for (const e of bundle.entries) {
    const resource = isObject(e) ? e['resource'] : undefined;
    if (!isObject(e) || !isObject(resource)) continue;
    if (str(e['fullUrl']) === reference) return resource;
    if (`${str(resource['resourceType'])}/${str(resource['id'])}` === reference) return resource;
    if (str(e['fullUrl'])?.endsWith(`/${reference}`)) return resource;
  }
  return undefined;
}

const odsOf = (identifier: unknown): string | undefined =>
  objects(Array.isArray(identifier) ? identifier : [identifier])
    .filter((id) => id['system'] === ODS_SYSTEM)
    .map((id) => str(id['value']))
    .find((v) => v !== undefined);

/**
 * The site, from serviceProvider as senders write it: a display, an ODS identifier, or a reference to an
 * Organization in the Bundle or contained in the Encounter, whichever is present.
 */
function siteOf(
  resource: Json,
  base: string,
  bundle: { entries: readonly unknown[] },
  problems: FieldProblem[],
): { name: string; odsCode?: string } | undefined {
  const provider = isObject(resource['serviceProvider']) ? resource['serviceProvider'] : undefined;
  const organisation = resolve(str(provider?.['reference']), resource, bundle);
  const ods = odsOf(provider?.['identifier']) ?? odsOf(organisation?.['identifier']);
  const name = str(provider?.['display']) ?? str(organisation?.['name']) ?? ods;
  if (name === undefined) {
    problems.push({
      field: `${base}.serviceProvider`,
      reason:
        'is required: the site, as a display, an ODS identifier, or a reference to an Organization in the Bundle',
    });
    return undefined;
  }
  return { name, ...(ods && /^[A-Z0-9]{3,10}$/.test(ods) ? { odsCode: ods } : {}) };
}

function envelopeFor(
  type: string,
  kind: string,
  key: string,
  time: string,
  data: Json,
  context: Context,
): JigsawEnvelope<string, Json> {
  return {
    specversion: '1.0',
    id: rowEventId('fhir', kind, context.secret, context.source, key),
    source: context.source,
    type,
    time,
    dataschema: dataschemaFor(type, 1),
    subject: structuredClone(context.patient.subject!),
    sharing: fhirSharing(context.source),
    data,
  };
}

function readEncounter(entry: Json, resource: Json, index: number, context: Context): BundleEntryPlan {
  const base = `entry[${index}].resource`;
  const problems: FieldProblem[] = [...context.patient.problems];
  const status = resource['status'];
  if (status === undefined) problems.push({ field: `${base}.status`, reason: 'is required' });
  else if (typeof status !== 'string' || !ATTENDED_STATUSES.includes(status)) {
    problems.push({
      field: `${base}.status`,
      reason: `must be one of ${ATTENDED_STATUSES.join(', ')}: only an attendance that happened is shared`,
    });
  }
  const classCode = isObject(resource['class']) ? str(resource['class']['code']) : undefined;
  if (classCode === undefined) problems.push({ field: `${base}.class.code`, reason: 'is required' });
  const settingCoding = codingIn(
    [
      { path: `${base}.serviceType`, value: resource['serviceType'] },
      { path: `${base}.type`, value: resource['type'] },
    ],
    CARE_SETTING_SYSTEM,
  );
  const named = str(settingCoding?.coding['code']);
  let setting: string | undefined;
  if (settingCoding && (named === undefined || !SETTINGS.includes(named))) {
    problems.push({ field: `${settingCoding.path}.code`, reason: `must be one of ${SETTINGS.join(', ')}` });
  } else setting = named ?? (classCode ? SETTING_OF_CLASS[classCode] : undefined);
  if (setting === undefined && classCode !== undefined && !settingCoding) {
    problems.push({
      field: `${base}.class.code`,
      reason: `must be EMER, or the Encounter must name its setting in serviceType (system ${CARE_SETTING_SYSTEM})`,
    });
  }
  const arrivedAt = period(resource, base, problems);
  const reason = codingIn(
    [
      { path: `${base}.reasonCode`, value: resource['reasonCode'] },
      { path: `${base}.type`, value: resource['type'] },
      { path: `${base}.serviceType`, value: resource['serviceType'] },
    ],
    SNOMED_CT,
  );
  const reasonCode = str(reason?.coding['code']);
  const reasonDisplay = str(reason?.coding['display']) ?? reason?.text;
  if (!reason) {
    problems.push({
      field: `${base}.reasonCode`,
      reason: `must carry a SNOMED CT coding (system ${SNOMED_CT}) in reasonCode, type or serviceType`,
    });
  } else {
    if (reasonCode === undefined) problems.push({ field: `${reason.path}.code`, reason: 'is required' });
    if (reasonDisplay === undefined)
      problems.push({ field: `${reason.path}.display`, reason: 'is required (or the concept text)' });
  }
  const site = siteOf(resource, base, context, problems);
  const disposition = isObject(resource['hospitalization'])
    ? resource['hospitalization']['dischargeDisposition']
    : undefined;
  const dispositionCoding = codingIn(
    [{ path: `${base}.hospitalization.dischargeDisposition`, value: disposition }],
    DISCHARGE_DISPOSITION_SYSTEM,
  );
  const dispositionCode = str(dispositionCoding?.coding['code']);
  const outcome = dispositionCode ? OUTCOME_OF_DISPOSITION[dispositionCode] : undefined;
  if (dispositionCoding && outcome === undefined) {
    problems.push({
      field: `${dispositionCoding.path}.code`,
      reason: 'must be a discharge-disposition code',
    });
  }
  checkSubjectReference(resource, base, context.patient, problems);
  const key = resourceKey(entry, resource);
  if (key === undefined)
    problems.push({
      field: `${base}.id`,
      reason: 'is required (or an identifier) so that a re-sent Bundle is recognised',
    });

  const fields: Record<string, string> = {
    id: keyField(resource, base),
    time: `${base}.period.start`,
    'data.arrivedAt': `${base}.period.start`,
    'data.setting': settingCoding ? `${settingCoding.path}.code` : `${base}.class.code`,
    'data.reason.system': `${reason?.path ?? `${base}.reasonCode`}.system`,
    'data.reason.code': `${reason?.path ?? `${base}.reasonCode`}.code`,
    'data.reason.display': `${reason?.path ?? `${base}.reasonCode`}.display`,
    'data.site.name': `${base}.serviceProvider`,
    'data.site.odsCode': `${base}.serviceProvider`,
  };
  if (problems.length > 0) return { entry: index, resourceType: 'Encounter', problems, fields };
  const data: Json = {
    setting,
    arrivedAt,
    reason: { system: SNOMED_CT, code: reasonCode, display: reasonDisplay },
    site,
    ...(outcome ? { outcome } : {}),
  };
  return {
    entry: index,
    resourceType: 'Encounter',
    envelope: envelopeFor(UNSCHEDULED_CARE_ATTENDED, 'encounter', key!, arrivedAt!, data, context),
    fields,
  };
}

function readFlag(entry: Json, resource: Json, index: number, context: Context): BundleEntryPlan {
  const base = `entry[${index}].resource`;
  const problems: FieldProblem[] = [...context.patient.problems];
  if (resource['status'] === undefined) problems.push({ field: `${base}.status`, reason: 'is required' });
  else if (resource['status'] !== 'active') {
    problems.push({
      field: `${base}.status`,
      reason: 'must be active: an inactive or mistaken flag raises no concern',
    });
  }
  const code = isObject(resource['code']) ? resource['code'] : undefined;
  const firstCoding = objects(code?.['coding'])[0];
  const summary = str(code?.['text']) ?? str(firstCoding?.['display']);
  if (!code) problems.push({ field: `${base}.code`, reason: 'is required' });
  else if (summary === undefined)
    problems.push({ field: `${base}.code.text`, reason: 'is required (or a coding display)' });
  const raisedAt = period(resource, base, problems);
  const categories = [{ path: `${base}.category`, value: resource['category'] }];
  const role = codingIn(categories, PRACTITIONER_ROLE_SYSTEM);
  const roleCode = role ? str(role.coding['code']) : DEFAULT_ROLE;
  if (role && (roleCode === undefined || !ROLES.includes(roleCode))) {
    problems.push({ field: `${role.path}.code`, reason: `must be one of ${ROLES.join(', ')}` });
  }
  const category = codingIn(categories, CONCERN_CATEGORY_SYSTEM);
  const categoryCode = category ? str(category.coding['code']) : 'other';
  if (category && (categoryCode === undefined || !CATEGORIES.includes(categoryCode))) {
    problems.push({ field: `${category.path}.code`, reason: `must be one of ${CATEGORIES.join(', ')}` });
  }
  checkSubjectReference(resource, base, context.patient, problems);
  const key = resourceKey(entry, resource);
  if (key === undefined)
    problems.push({
      field: `${base}.id`,
      reason: 'is required (or an identifier) so that a re-sent Bundle is recognised',
    });

  const fields: Record<string, string> = {
    id: keyField(resource, base),
    time: `${base}.period.start`,
    'data.raisedAt': `${base}.period.start`,
    'data.summary': `${base}.code.text`,
    'data.role': role ? `${role.path}.code` : `${base}.category`,
    'data.category': category ? `${category.path}.code` : `${base}.category`,
  };
  if (problems.length > 0) return { entry: index, resourceType: 'Flag', problems, fields };
  const data: Json = { raisedAt, role: roleCode, category: categoryCode, summary };
  return {
    entry: index,
    resourceType: 'Flag',
    envelope: envelopeFor(PRACTITIONER_CONCERN_RAISED, 'flag', key!, raisedAt!, data, context),
    fields,
  };
}

const READERS: Readonly<Record<string, typeof readEncounter>> = { Encounter: readEncounter, Flag: readFlag };
/** Read for the subject, or carrying nothing to share. */
const PASSIVE = new Set(['Patient', 'MessageHeader']);

/** Maps each Encounter and Flag of a Bundle (already known to be one) to an event, or its problems. */
export function readBundle(bundle: Json, context: { source: string; secret: string }): BundleReading {
  const entries = bundle['entry'] as unknown[];
  const patient = readPatient(entries);
  const mapped: BundleEntryPlan[] = [];
  const ignored: BundleReading['ignored'] = [];
  entries.forEach((entry, index) => {
    const resource = isObject(entry) ? entry['resource'] : undefined;
    if (!isObject(entry) || !isObject(resource) || typeof resource['resourceType'] !== 'string') {
      mapped.push({
        entry: index,
        resourceType: '(unknown)',
        problems: [{ field: `entry[${index}].resource.resourceType`, reason: 'is required' }],
        fields: {},
      });
      return;
    }
    const resourceType = resource['resourceType'];
    const read = READERS[resourceType];
    if (read) mapped.push(read(entry, resource, index, { ...context, patient, entries }));
    else if (!PASSIVE.has(resourceType)) ignored.push({ entry: index, resourceType });
  });
  return { mapped, ignored };
}
