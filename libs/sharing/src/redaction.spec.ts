import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { contractOf, DOMESTIC_ABUSE_INCIDENT_NOTIFIED } from '@jigsaw/contracts';
import type { RecordedEvent } from '@jigsaw/envelope';
import { allowFields, type Redaction } from './field-allow-list.js';
import { redactRelated as redactByContract } from './testing/related.js';
import { redactionFor, SHIELDED_FIELDS, type ViewableEvent } from './redaction.js';
import type { SharingState } from './sharing-state.js';
import { sharingArbitraries } from './testing/arbitraries.js';
import {
  aChildSubject,
  anIncidentNotified,
  aViewer,
  KENT,
  LEEDS_COUNCIL,
  LEEDS_TEACHING,
  MET,
} from './testing/events.factory.js';

const arb = sharingArbitraries(fc);
const NOW = new Date('2026-11-21T08:00:00Z');
const IN_FORCE: SharingState = { corrections: {}, corrected: [], markers: [] };
// Cuts no contract has, to prove that markers and identifier scrubbing hold whatever a cut lets through.
const PLACEMENT = 'council.test-placement-recorded';
// A careless rule that passes everything through.
const PASS_THROUGH = 'health.attendance-recorded';
const LEAKY = `${PLACEMENT}-leaky`;
const TEST_RULES: Readonly<Record<string, Redaction>> = {
  [PLACEMENT]: allowFields({ education: ['school', 'placement.address', 'placement.type'] }),
  [PASS_THROUGH]: (data) => structuredClone(data),
  [LEAKY]: (data) => ({ ...data, note: `NHS ${subject.nhsNumber}` }),
};
const redactRelated = (...[viewer, event, state, now]: Parameters<typeof redactByContract>) =>
  redactByContract(viewer, event, state, now, (type) => TEST_RULES[type] ?? redactionFor(type));

const subject = aChildSubject();
const incident = anIncidentNotified({
  subject,
  sharing: {
    audience: [{ agency: 'education' }, { agency: 'council' }, { agency: 'health' }, { agency: 'police' }],
  },
});
const dsl = aViewer();
const socialWorker = aViewer({ agency: 'council', organisation: LEEDS_COUNCIL, role: 'social-worker' });
const clinician = aViewer({ agency: 'health', organisation: LEEDS_TEACHING, role: 'clinician' });
const kentOfficer = aViewer({ agency: 'police', organisation: KENT, role: 'police-officer' });
const metOfficer = aViewer({ agency: 'police', organisation: MET, role: 'police-officer' });
const auditor = aViewer({
  agency: 'council',
  organisation: LEEDS_COUNCIL,
  role: 'auditor',
  purpose: 'audit',
});

describe('what each agency learns of a domestic abuse incident', () => {
  it('given a school, then it learns what happened, whether the child saw it and whom to call; no narrative, risk or reference', () => {
    const view = redactRelated(dsl, incident, IN_FORCE, NOW);
    expect(view?.data).toEqual({
      occurredAt: '2026-11-20T22:15:00Z',
      childPresent: true,
      childInHousehold: true,
      force: { name: 'Metropolitan Police Service' },
      contact: { name: 'PC Example', role: 'Operation Encompass officer', phone: '020 7230 1212' },
      summary: 'Police attended a domestic abuse incident at the home last night; the child was present.',
    });
    expect(view?.subject).toBeUndefined();
    expect(view?.childid).toBe(incident.childid);
    expect(view?.sharing).toEqual({ basis: incident.sharing.basis, purposes: ['safeguarding'] });
  });

  it("given children's social care, then it gets the risk level and reference, not the narrative", () => {
    const data = redactRelated(socialWorker, incident, IN_FORCE, NOW)?.data;
    expect(data).toMatchObject({ riskLevel: 'medium', incidentReference: 'CAD-4471-20NOV26' });
    expect(data).not.toHaveProperty('narrative');
  });

  it('given health, then it gets when, whether the child was present and the summary', () => {
    expect(Object.keys(redactRelated(clinician, incident, IN_FORCE, NOW)?.data ?? {}).sort()).toEqual([
      'childPresent',
      'occurredAt',
      'summary',
    ]);
  });

  it('given another force, then it gets the whole record but not the subject', () => {
    const view = redactRelated(kentOfficer, incident, IN_FORCE, NOW);
    expect(view?.data).toEqual(incident.data);
    expect(view?.subject).toBeUndefined();
  });

  it('given the owner, then it sees everything, subject included, and where its sharing stands', () => {
    const view = redactRelated(
      metOfficer,
      incident,
      { ...IN_FORCE, restricted: { eventId: 'r', time: 't', reason: 'x' } },
      NOW,
    );
    expect(view?.subject).toEqual(subject);
    expect(view?.data).toEqual(incident.data);
    expect(view?.sharing).toEqual(incident.sharing);
    expect(view?.standing).toEqual({ withdrawn: false, restricted: true, retracted: false, expired: false });
  });

  it('given a viewer who may not see it, then there is nothing to show', () => {
    expect(redactRelated(aViewer({ role: 'teacher' }), incident, IN_FORCE, NOW)).toBeUndefined();
  });
});

describe('corrections', () => {
  it('given a corrected summary, then everyone, owner included, sees the corrected value', () => {
    const state: SharingState = {
      ...IN_FORCE,
      corrections: { summary: 'Corrected.' },
      corrected: [{ eventId: 'c', time: 't', reason: 'typo' }],
    };
    for (const viewer of [dsl, socialWorker, metOfficer]) {
      const view = redactRelated(viewer, incident, state, NOW);
      expect(view?.data?.['summary']).toBe('Corrected.');
      expect(view?.corrected).toBe(true);
    }
  });

  it('given a correction adds a field the audience may not have, then it stays hidden', () => {
    const state: SharingState = { ...IN_FORCE, corrections: { narrative: 'New narrative.' }, corrected: [] };
    expect(redactRelated(dsl, incident, state, NOW)?.data).not.toHaveProperty('narrative');
  });
});

describe('protective markers and identifiers', () => {
  const placement = (markers: string[] = []): RecordedEvent => ({
    ...anIncidentNotified({
      source: LEEDS_COUNCIL,
      subject,
      sharing: { markers, audience: [{ agency: 'education' }] },
    }),
    type: PLACEMENT,
    data: {
      school: 'Leeds Primary',
      placement: { type: 'foster', address: '1 Safe Street, LS1 4AP' },
      nhsNumber: subject.nhsNumber,
    },
  });

  it('given no marker, then the school sees the placement address its rule allows', () => {
    expect(redactRelated(dsl, placement(), IN_FORCE, NOW)?.data).toEqual({
      school: 'Leeds Primary',
      placement: { type: 'foster', address: '1 Safe Street, LS1 4AP' },
    });
  });

  it('given a concealed address on the child, then the address is gone for all but the owner', () => {
    const state = { ...IN_FORCE, markers: ['concealed-address'] };
    const view = redactRelated(dsl, placement(), state, NOW);
    expect(view?.data).toEqual({ school: 'Leeds Primary', placement: { type: 'foster' } });
    expect(view?.markers).toEqual(['concealed-address']);
    const owner = aViewer({ agency: 'council', organisation: LEEDS_COUNCIL, role: 'social-worker' });
    expect(redactRelated(owner, placement(), state, NOW)?.subject?.postcode).toBe(subject.postcode);
  });

  it('given a marker recorded on the event itself, then it shields too', () => {
    expect(redactRelated(dsl, placement(['concealed-address']), IN_FORCE, NOW)?.data).not.toHaveProperty(
      'placement.address',
    );
  });

  it('given a marker nobody has described, then it shields every field any marker shields', () => {
    expect(redactRelated(dsl, placement(['witness-protection']), IN_FORCE, NOW)?.data).not.toHaveProperty(
      'placement.address',
    );
  });

  it('given a rule that lets a child identifier through, then it is still never shown to a non-owner', () => {
    const view = redactRelated(dsl, { ...placement(), type: LEAKY }, IN_FORCE, NOW);
    expect(JSON.stringify(view)).not.toContain(subject.nhsNumber);
    expect(view?.data).toHaveProperty('school');
  });
});

describe('personal data inside arrays', () => {
  const household = (markers: string[]): RecordedEvent => ({
    ...anIncidentNotified({ subject, sharing: { markers } }),
    type: PASS_THROUGH,
    data: {
      members: [
        {
          role: 'sibling',
          nhsNumber: subject.nhsNumber,
          upn: subject.upn,
          address: '1 Safe Street',
          birthName: 'Amara Before',
        },
        { role: 'carer', addressLines: ['1 Safe Street', 'Leeds'] },
      ],
      notes: ['Seen at home.', `NHS ${subject.nhsNumber}`, `UPN ${subject.upn}`],
      visits: [['Seen at home.', `NHS ${subject.nhsNumber}`]],
    },
  });

  it('removes the NHS number, UPN, address and birth name found inside arrays from another agency’s view', () => {
    const view = redactRelated(dsl, household(['concealed-address', 'adoption']), IN_FORCE, NOW);
    // Strictly: an element removed leaves no hole (an `undefined` that JSON would send as null).
    expect(view?.data).toStrictEqual({
      members: [{ role: 'sibling' }, { role: 'carer' }],
      notes: ['Seen at home.'],
      visits: [['Seen at home.']],
    });
  });

  it('removes the identifiers inside arrays even without a marker, and keeps the address then', () => {
    const view = redactRelated(dsl, household([]), IN_FORCE, NOW);
    expect(view?.data).toStrictEqual({
      members: [
        { role: 'sibling', address: '1 Safe Street', birthName: 'Amara Before' },
        { role: 'carer', addressLines: ['1 Safe Street', 'Leeds'] },
      ],
      notes: ['Seen at home.'],
      visits: [['Seen at home.']],
    });
  });

  it('removes a field whose whole value was the child’s identifier, leaving no key behind', () => {
    const event = { ...household([]), data: { role: 'sibling', reference: `NHS ${subject.nhsNumber}` } };
    const data = redactRelated(dsl, event, IN_FORCE, NOW)?.data as Record<string, unknown>;
    expect(data).not.toHaveProperty('reference');
    expect(Object.keys(data)).toEqual(['role']);
  });

  it('leaves the owner every element', () => {
    const event = household(['concealed-address', 'adoption']);
    expect(redactRelated(metOfficer, event, IN_FORCE, NOW)?.data).toEqual(event.data);
  });
});

describe('the field names each protective marker hides', () => {
  const anything = (data: Record<string, unknown>, markers: string[]): RecordedEvent => ({
    ...anIncidentNotified({ subject, sharing: { markers } }),
    type: PASS_THROUGH,
    data: { kept: 'yes', ...data },
  });
  const seen = (data: Record<string, unknown>, markers: string[]) =>
    redactRelated(dsl, anything(data, markers), IN_FORCE, NOW)?.data;

  it.each([
    'address',
    'addresses',
    'addressLine',
    'addressLines',
    'postcode',
    'postalCode',
    'location',
    'uprn',
    'gridReference',
    'Postcode',
    'ADDRESSLINE',
  ])('a concealed address hides `%s`, nested or not, and only it', (field) => {
    expect(
      seen({ [field]: 'x', placement: { [field]: 'x', kind: 'foster' } }, ['concealed-address']),
    ).toEqual({
      kept: 'yes',
      placement: { kind: 'foster' },
    });
    expect(seen({ [field]: 'x' }, ['adoption'])).toEqual({ kept: 'yes', [field]: 'x' });
  });

  it.each([
    'birthFamily',
    'birthParent',
    'birthParents',
    'birthMother',
    'birthFather',
    'birthName',
    'birthNames',
    'formerName',
    'formerNames',
    'previousName',
    'previousNames',
    'BirthName',
  ])('an adoption marker hides `%s`, nested or not, and only it', (field) => {
    expect(seen({ [field]: 'x', family: { [field]: 'x', kind: 'adoptive' } }, ['adoption'])).toEqual({
      kept: 'yes',
      family: { kind: 'adoptive' },
    });
    expect(seen({ [field]: 'x' }, ['concealed-address'])).toEqual({ kept: 'yes', [field]: 'x' });
  });

  it('hides only whole field names, not names that merely begin or end with one', () => {
    const near = {
      addressee: 'x',
      emailAddress: 'x',
      birthNameChanged: true,
      upnChecked: true,
      informerNames: 'x',
      hasUpn: true,
    };
    expect(seen(near, ['concealed-address', 'adoption'])).toEqual({ kept: 'yes', ...near });
  });

  it.each(['nhsNumber', 'upn', 'localIds', 'NHSNumber', 'UPN'])(
    'never shows `%s` to another agency, with or without a marker',
    (field) => {
      expect(seen({ [field]: 'x' }, [])).toEqual({ kept: 'yes' });
    },
  );

  it('hides a value that is one of the child’s local ids', () => {
    const local = anything({ ref: 'LOC-000123', other: 'LOC-000999' }, []);
    const withLocal = {
      ...local,
      subject: { ...subject, localIds: [{ system: 'mosaic', value: 'LOC-000123' }] },
    };
    expect(redactRelated(dsl, withLocal, IN_FORCE, NOW)?.data).toEqual({ kept: 'yes', other: 'LOC-000999' });
  });
});

describe('where a record’s sharing stands, for its owner and auditors', () => {
  const note = { eventId: 'w', time: '2026-11-21T07:00:00Z', reason: 'consent withdrawn' };
  const auditorOfMet = aViewer({ agency: 'police', organisation: MET, role: 'auditor', purpose: 'audit' });

  it.each([
    ['withdrawn', { ...IN_FORCE, withdrawn: note }],
    ['restricted', { ...IN_FORCE, restricted: note }],
    ['retracted', { ...IN_FORCE, retracted: note }],
  ] as const)('shows the owner and an auditor that it is %s, and nothing else', (which, state) => {
    const expected = { withdrawn: false, restricted: false, retracted: false, expired: false, [which]: true };
    expect(redactRelated(metOfficer, incident, state, NOW)?.standing).toEqual(expected);
    expect(redactRelated(auditor, incident, state, NOW)?.standing).toEqual(expected);
    expect(redactRelated(auditorOfMet, incident, state, NOW)?.standing).toEqual(expected);
  });

  it('shows them that sharing has ended, by its own `until` or by a retention rule', () => {
    const ended = anIncidentNotified({ sharing: { until: '2026-11-01T00:00:00Z' } });
    expect(redactRelated(metOfficer, ended, IN_FORCE, NOW)?.standing?.expired).toBe(true);
    const retained = { ...IN_FORCE, sharingEndsAt: '2026-11-01T00:00:00Z' };
    expect(redactRelated(auditor, incident, retained, NOW)?.standing?.expired).toBe(true);
  });

  it('gives other agencies no standing at all', () => {
    expect(redactRelated(dsl, incident, IN_FORCE, NOW)).not.toHaveProperty('standing');
  });
});

describe('types without a rule, and auditors', () => {
  it('given a type nobody described, then a non-owner learns only that it happened', () => {
    const unknown = { ...incident, type: 'health.something-new-recorded' };
    const view = redactRelated(dsl, unknown, IN_FORCE, NOW);
    expect(view).toMatchObject({ type: 'health.something-new-recorded', time: incident.time, source: MET });
    expect(view?.data).toBeUndefined();
    expect(redactRelated(metOfficer, unknown, IN_FORCE, NOW)?.data).toEqual(incident.data);
  });

  it('given an auditor, then they see the skeleton and the whole sharing decision, never data or subject', () => {
    const view = redactRelated(
      auditor,
      incident,
      { ...IN_FORCE, retracted: { eventId: 'r', time: 't', reason: 'x' } },
      NOW,
    );
    expect(view).toEqual({
      id: incident.id,
      source: MET,
      type: DOMESTIC_ABUSE_INCIDENT_NOTIFIED,
      time: incident.time,
      childid: incident.childid,
      agency: 'police',
      level: 'skeleton',
      reason: 'audit-skeleton',
      markers: [],
      corrected: false,
      sharing: incident.sharing,
      standing: { withdrawn: false, restricted: false, retracted: true, expired: false },
    });
  });

  it('given data that is not an object, then the owner sees only the corrections and others see no fields', () => {
    const odd = { ...incident, data: ['not', 'an', 'object'] } as unknown as RecordedEvent;
    const state: SharingState = { ...IN_FORCE, corrections: { summary: 'Corrected.' } };
    expect(redactRelated(metOfficer, odd, state, NOW)?.data).toEqual({ summary: 'Corrected.' });
    expect(redactRelated(metOfficer, odd, IN_FORCE, NOW)?.data).toEqual({});
    expect(redactRelated(kentOfficer, odd, IN_FORCE, NOW)?.data).toEqual({});
  });
});

/** Every leaf path in an object, e.g. `force.name`. */
function leafPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([key, item]) => leafPaths(item, prefix ? `${prefix}.${key}` : key));
}

function identifiersOf(event: RecordedEvent): string[] {
  return [
    event.subject.nhsNumber,
    event.subject.upn,
    ...(event.subject.localIds ?? []).map((id) => id.value),
  ].filter((id): id is string => !!id);
}

describe('redaction, for any viewer, event and state', () => {
  const case_ = arb.viewingCase();

  it('never returns a field the type’s contract does not allow for the viewer’s agency, nor any of a type without one', () => {
    fc.assert(
      fc.property(case_, ([viewer, event, state]) => {
        const view = redactByContract(viewer, event, state, NOW);
        if (!view || viewer.organisation === event.source) return;
        const audience = contractOf(event.type)?.audience;
        if (!audience) return expect(view.data).toBeUndefined();
        const allowed = audience[viewer.agency] ?? [];
        for (const path of leafPaths(view.data ?? {}).filter(Boolean)) {
          expect(allowed.some((a) => path === a || path.startsWith(`${a}.`))).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never shows a non-owner the subject or any of the child’s identifiers', () => {
    fc.assert(
      fc.property(case_, ([viewer, event, state]) => {
        const view = redactRelated(viewer, event, state, NOW);
        if (!view || viewer.organisation === event.source) return;
        expect(view.subject).toBeUndefined();
        const text = JSON.stringify(view);
        for (const id of identifiersOf(event)) expect(text).not.toContain(id);
        expect(text).not.toMatch(/"(nhsNumber|upn|localIds)"/);
      }),
      { numRuns: 2000 },
    );
  });

  it('never puts data in a skeleton, and shields marked fields from non-owners', () => {
    fc.assert(
      fc.property(case_, ([viewer, event, state]) => {
        const view: ViewableEvent | undefined = redactRelated(viewer, event, state, NOW);
        if (!view) return;
        if (view.level === 'skeleton') {
          expect(view.data).toBeUndefined();
          expect(view.subject).toBeUndefined();
        }
        if (viewer.organisation === event.source) return;
        const keys = leafPaths(view.data ?? {}).flatMap((path) => path.split('.'));
        for (const marker of view.markers) {
          const shield = SHIELDED_FIELDS[marker];
          const patterns = shield ? [shield] : Object.values(SHIELDED_FIELDS);
          for (const pattern of patterns) expect(keys.filter((key) => pattern.test(key))).toEqual([]);
        }
      }),
    );
  });

  it('shows the owner every field, with corrections in place of the originals', () => {
    fc.assert(
      fc.property(case_, ([viewer, event, state]) => {
        const own = { ...event, source: viewer.organisation };
        const view = redactRelated(viewer, own, state, NOW);
        expect(view?.subject).toEqual(event.subject);
        expect(view?.data).toEqual({ ...(event.data as object), ...state.corrections });
      }),
    );
  });

  it('never hands out a reference into the stored event', () => {
    fc.assert(
      fc.property(case_, ([viewer, event, state]) => {
        const before = structuredClone(event);
        const view = redactRelated(viewer, { ...event, source: viewer.organisation }, state, NOW);
        if (view?.data) for (const key of Object.keys(view.data)) view.data[key] = 'changed';
        expect(event).toEqual(before);
      }),
    );
  });
});
