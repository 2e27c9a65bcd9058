// What `npm run test:mutation` mutates, and which unit specs must notice (each target also has a
// tsconfig.<target>.json for the type checker). Each target's score must reach
// `break` or the run fails.
export const targets = {
  identity: {
    mutate: [
      'libs/identity/src/**/*.ts',
      '!libs/identity/src/**/*.spec.ts',
      '!libs/identity/src/**/*.int-spec.ts',
      // Queries and locks only: its rules live in identity-resolution.ts; the properties in
      // identity-registry.property.int-spec.ts prove it against PostgreSQL.
      '!libs/identity/src/identity-registry.ts',
      // The module's wiring and I/O (commands, consumers, controller, projection, raiser): their
      // int-specs and the identity e2e specs run them against PostgreSQL and Kafka, no unit spec does.
      '!libs/identity/src/{identity-commands,identity.consumers,identity.controller,identity.module}.ts',
      '!libs/identity/src/{identity.options,child-links.projection,possible-match.raiser,linked-children}.ts',
      '!libs/identity/src/testing/**',
      // The command bodies' HTTP shapes (class-validator) and the events' constructors: the identity e2e
      // specs send every refused body, and the registry spec holds the hub's event schemas to the contracts.
      '!libs/identity/src/{identity.dto,identity.events}.ts',
      // What a valid NHS number or UPN is: the envelope's, as its schemas check identifiers' format.
      'libs/envelope/src/nhs-number.ts',
      'libs/envelope/src/upn.ts',
    ],
    tests: [
      'libs/identity/src/**/*.spec.ts',
      'libs/envelope/src/nhs-number.spec.ts',
      'libs/envelope/src/upn.spec.ts',
    ],
  },
  sharing: {
    mutate: ['libs/sharing/src/**/*.ts', '!libs/sharing/src/**/*.spec.ts', '!libs/sharing/src/testing/**'],
    tests: ['libs/sharing/src/**/*.spec.ts'],
  },
  // The contracts are module-level tables: every spec that reads them runs for each mutant. Their own spec
  // holds them to schemas/; the sharing specs say what each agency sees.
  contracts: {
    mutate: ['libs/contracts/src/**/*.ts', '!libs/contracts/src/**/*.spec.ts'],
    tests: [
      'libs/contracts/src/**/*.spec.ts',
      'libs/sharing/src/allow-lists.spec.ts',
      'libs/sharing/src/*.redaction.spec.ts',
    ],
  },
};

export const thresholds = { high: 95, low: 90, break: 90 };
