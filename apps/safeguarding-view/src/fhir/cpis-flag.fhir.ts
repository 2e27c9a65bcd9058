import type { CpisFlagState } from '@jigsaw/sharing';
import type { ContactDetails, CpisFlag, ViewStatus } from '../view/child-view.js';

export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
const FLAG_CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/flag-category';
/** CP-IS's plan types (child protection plan, looked after child), as the national service names them. */
export const CPIS_PLAN_TYPE_SYSTEM = 'urn:jigsaw:fhir:cpis-plan-type';
/** The hub's organisation URNs (`urn:jigsaw:org:council:leeds`). */
export const ORGANISATION_SYSTEM = 'urn:jigsaw:organisation';

type Json = Record<string, unknown>;

const PLANS = [
  { key: 'childProtectionPlan', code: 'CPP', display: 'Child Protection Plan' },
  { key: 'lookedAfter', code: 'LAC', display: 'Looked After Child' },
] as const;

/** The council to call, as a contained Organization: its lines by day and out of hours, and a named lead. */
function council(organisation: string, contact: ContactDetails | undefined): Json {
  const telecom = (...points: [string, string | undefined][]) =>
    points.flatMap(([system, value]) => (value ? [{ system, value, use: 'work' }] : []));
  const contacts = [
    ...(contact?.name || contact?.email
      ? [
          {
            name: { text: [contact.name, contact.role].filter(Boolean).join(', ') || 'Lead practitioner' },
            telecom: telecom(['email', contact.email]),
          },
        ]
      : []),
    ...(contact?.outOfHoursPhone
      ? [{ name: { text: 'Out of hours' }, telecom: telecom(['phone', contact.outOfHoursPhone]) }]
      : []),
  ].map((c) => (c.telecom.length > 0 ? c : { name: c.name }));
  return {
    resourceType: 'Organization',
    id: 'responsible-council',
    identifier: [{ system: ORGANISATION_SYSTEM, value: organisation }],
    name: contact?.team ? `${organisation} (${contact.team})` : organisation,
    ...(contact?.phone ? { telecom: telecom(['phone', contact.phone]) } : {}),
    ...(contacts.length > 0 ? { contact: contacts } : {}),
  };
}

/**
 * The CP-IS flag as FHIR Flags, one per plan current or ended within the year: whether the child is on a
 * child protection plan or looked after, since when (and until when), and the responsible council as the
 * author to call. Nothing of the plan's content (category, legal status) is carried.
 */
export function cpisFlags(childId: string, nhsNumber: string, flag: CpisFlag): Json[] {
  return PLANS.flatMap(({ key, code, display }) => {
    const status: ViewStatus | undefined = flag[key];
    if (!status?.since) return [];
    const author = flag.council;
    return [
      {
        resourceType: 'Flag',
        id: `${childId}-${code.toLowerCase()}`,
        ...(author ? { contained: [council(author.organisation, author.contact)] } : {}),
        status: status.current ? 'active' : 'inactive',
        category: [{ coding: [{ system: FLAG_CATEGORY_SYSTEM, code: 'safety', display: 'Safety' }] }],
        code: { coding: [{ system: CPIS_PLAN_TYPE_SYSTEM, code, display }], text: display },
        subject: { type: 'Patient', identifier: { system: NHS_NUMBER_SYSTEM, value: nhsNumber } },
        period: { start: status.since, ...(status.ended ? { end: status.ended } : {}) },
        ...(author ? { author: { reference: '#responsible-council', display: author.organisation } } : {}),
      },
    ];
  });
}

/** The flag's three states, as the OperationOutcome of a search states them. */
export const CPIS_FLAG_STATE_SYSTEM = 'urn:jigsaw:fhir:cpis-flag-state';

const OUTCOME: Record<CpisFlagState, { code: string; text: string }> = {
  flagged: {
    code: 'informational',
    text: 'On a child protection plan or looked after, now or within the year.',
  },
  'not-flagged': { code: 'not-found', text: 'No child protection plan or care is known to the hub.' },
  'not-visible': {
    code: 'suppressed',
    text: 'You may not see whether the child is on a plan or looked after, for this purpose.',
  },
};

/**
 * A FHIR `searchset` Bundle of the Flags found, with the search that found them, and an OperationOutcome
 * saying which of the three states the flag is in: no Flag never stands for "you may not see".
 */
export function searchset(
  base: string,
  self: string,
  resources: readonly Json[],
  state: CpisFlagState,
): Json {
  const { code, text } = OUTCOME[state];
  const outcome = {
    resourceType: 'OperationOutcome',
    id: `cpis-flag-${state}`,
    issue: [
      {
        severity: 'information',
        code,
        details: { coding: [{ system: CPIS_FLAG_STATE_SYSTEM, code: state }], text },
      },
    ],
  };
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    link: [{ relation: 'self', url: `${base}${self}` }],
    entry: [
      ...resources.map((resource) => ({
        fullUrl: `${base}/fhir/${String(resource['resourceType'])}/${String(resource['id'])}`,
        resource,
        search: { mode: 'match' },
      })),
      {
        fullUrl: `${base}/fhir/OperationOutcome/${outcome.id}`,
        resource: outcome,
        search: { mode: 'outcome' },
      },
    ],
  };
}
