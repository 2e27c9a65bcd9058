import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NHS_NUMBER_SYSTEM } from '../fhir-bundle.mapping.js';

type Json = Record<string, unknown>;

export type UkCoreExample =
  | 'UKCore-Patient-RichardSmith-Example'
  | 'UKCore-Patient-BabyPatient-Example'
  | 'UKCore-Encounter-InpatientEncounter-Example'
  | 'Extension-UKCore-EmergencyCareDischargeStatus-Example'
  | 'Extension-UKCore-OutcomeOfAttendance-Example'
  | 'UKCore-Flag-FoodAllergy-Example'
  | 'UKCore-Organization-LeedsTeachingHospital-Example'
  | 'UKCore-Organization-WhiteRoseMedicalCentre-Example'
  | 'UKCore-MessageHeader-Discharge-Example';

const folder = join(dirname(fileURLToPath(import.meta.url)), 'uk-core');

/** A published UK Core example resource (see uk-core/SOURCE.md), as FHIR JSON. */
export function ukCoreExample(name: UkCoreExample): Json {
  return JSON.parse(readFileSync(join(folder, `${name}.json`), 'utf8')) as Json;
}

/**
 * The published Patient with `nhsNumber`, and born 46 years later (1970 to 2016, same day): the published
 * Richard Smith is an adult, and the hub refuses a child's record with a birth date over 25 years ago.
 * These are the only changes made to an example.
 */
export function ukCorePatient(nhsNumber: string): Json {
  const patient = ukCoreExample('UKCore-Patient-RichardSmith-Example');
  for (const identifier of patient['identifier'] as Json[]) {
    if (identifier['system'] === NHS_NUMBER_SYSTEM) identifier['value'] = nhsNumber;
  }
  patient['birthDate'] = String(patient['birthDate']).replace(/^1970-/, '2016-');
  return patient;
}

/** The published baby (born 2021, a child already) with `nhsNumber`: the one change. */
export function ukCoreBaby(nhsNumber: string): Json {
  const patient = ukCoreExample('UKCore-Patient-BabyPatient-Example');
  for (const identifier of patient['identifier'] as Json[]) {
    if (identifier['system'] === NHS_NUMBER_SYSTEM) identifier['value'] = nhsNumber;
  }
  return patient;
}

/** The four published resources as Bundle entries, each at its RESTful URL as UK Core's references name it. */
export function ukCoreEntries(nhsNumber: string): Json[] {
  const resources = [
    ukCorePatient(nhsNumber),
    ukCoreExample('UKCore-Organization-LeedsTeachingHospital-Example'),
    ukCoreExample('UKCore-Encounter-InpatientEncounter-Example'),
    ukCoreExample('UKCore-Flag-FoodAllergy-Example'),
  ];
  return resources.map((resource) => ({
    fullUrl: `https://fhir.example.nhs.uk/${String(resource['resourceType'])}/${String(resource['id'])}`,
    resource,
  }));
}

/** The published inpatient Encounter made an emergency attendance (class EMER): the one change. */
export function asEmergencyAttendance(entries: Json[]): Json[] {
  return entries.map((e) => {
    const resource = e['resource'] as Json;
    return resource['resourceType'] === 'Encounter'
      ? { ...e, resource: { ...resource, class: { ...(resource['class'] as Json), code: 'EMER' } } }
      : e;
  });
}

/** A Bundle of `type`; a transaction or batch entry carries its request, as FHIR requires. */
export function ukCoreBundle(type: string, nhsNumber: string): Json {
  return {
    resourceType: 'Bundle',
    type,
    entry: ukCoreEntries(nhsNumber).map((entry) => {
      const resource = entry['resource'] as Json;
      return type === 'transaction' || type === 'batch'
        ? {
            ...entry,
            request: { method: 'PUT', url: `${String(resource['resourceType'])}/${String(resource['id'])}` },
          }
        : type === 'searchset'
          ? { ...entry, search: { mode: resource['resourceType'] === 'Flag' ? 'match' : 'include' } }
          : entry;
    }),
  };
}
