/** What the view's FHIR endpoint does, as FHIR R4 says a server describes itself (`GET /fhir/metadata`). */
export function capabilityStatement(base: string, date: string): Record<string, unknown> {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date,
    publisher: 'Jigsaw',
    kind: 'instance',
    software: { name: 'Jigsaw safeguarding view' },
    implementation: { description: 'The CP-IS flag of children known to the hub', url: `${base}/fhir` },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json'],
    rest: [
      {
        mode: 'server',
        documentation:
          'Bearer token of a health practitioner; every search also names its `purpose` (e.g. health-care). ' +
          "Every read is recorded in the child's access log. Refusals are OperationOutcomes.",
        security: {
          service: [
            {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
                  code: 'OAuth',
                },
              ],
            },
          ],
          description: 'OAuth 2.0 bearer tokens (JWT) from the health organisation’s identity provider.',
        },
        resource: [
          {
            type: 'Flag',
            interaction: [{ code: 'search-type' }],
            searchParam: [
              {
                name: 'patient',
                type: 'reference',
                documentation:
                  'The NHS number, alone or as https://fhir.nhs.uk/Id/nhs-number|<NHS number>. Required.',
              },
            ],
          },
        ],
      },
    ],
  };
}
