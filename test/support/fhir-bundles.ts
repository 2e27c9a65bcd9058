import { randomUUID } from 'node:crypto';

/**
 * A FHIR R4 collection Bundle as a trust's EPR sends one to the health service's FHIR adapter: the patient
 * by NHS number and one finished emergency Encounter at Leeds General Infirmary (ODS RR801), five hours
 * ago, for a fracture.
 */
export function encounterBundle(nhsNumber: string) {
  const patient = `urn:uuid:${randomUUID()}`;
  return {
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      {
        fullUrl: patient,
        resource: {
          resourceType: 'Patient',
          identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhsNumber }],
        },
      },
      {
        resource: {
          resourceType: 'Encounter',
          id: `enc-${nhsNumber.slice(-4)}`,
          status: 'finished',
          class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'EMER' },
          reasonCode: [
            {
              coding: [{ system: 'http://snomed.info/sct', code: '125605004', display: 'Fracture of bone' }],
            },
          ],
          subject: { reference: patient },
          period: { start: new Date(Date.now() - 5 * 3600_000).toISOString() },
          serviceProvider: {
            identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'RR801' },
            display: 'Leeds General Infirmary',
          },
        },
      },
    ],
  };
}
