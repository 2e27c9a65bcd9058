import type FastCheck from 'fast-check';
import type { Arbitrary } from 'fast-check';
import { DOMESTIC_ABUSE_INCIDENT_NOTIFIED, REFERRAL_RECEIVED } from '@jigsaw/contracts';
import {
  AGENCIES,
  CONSENT_STATUSES,
  LAWFUL_BASES,
  PURPOSES,
  REGIMES,
  ROLES,
  SENSITIVITIES,
  dataschemaFor,
  nhsNumberCheckDigit,
  upnCheckLetter,
  type Agency,
  type AudienceEntry,
  type ChildSubject,
  type RecordedEvent,
  type SharingDecision,
} from '@jigsaw/envelope';
import { RECORD_CONTROL_ACTIONS, type RecordControlAction, type SharingState } from '../sharing-state.js';
import type { Viewer } from '../viewer.js';

type Fc = typeof FastCheck;

/** Few organisations, children and ids, so owners, audiences and control targets collide often. */
export const ORGANISATIONS: Readonly<Record<Agency, readonly string[]>> = {
  council: ['urn:jigsaw:org:council:leeds', 'urn:jigsaw:org:council:camden'],
  police: ['urn:jigsaw:org:police:met', 'urn:jigsaw:org:police:kent'],
  health: ['urn:jigsaw:org:health:leeds-teaching', 'urn:jigsaw:org:health:barts'],
  education: ['urn:jigsaw:org:education:school-100234', 'urn:jigsaw:org:education:school-100777'],
};
export const ALL_ORGANISATIONS = AGENCIES.flatMap((agency) => ORGANISATIONS[agency]);
export const CHILD_IDS = [
  '0b7c6f1e-3c1a-4f55-9a55-1f3a2b4c5d6e',
  '5d2e8a90-7b1c-4e3f-8a2d-9c8b7a6f5e4d',
  'c1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8',
];
export const EVENT_IDS = ['e-1', 'e-2', 'e-3', 'e-4', 'e-5', 'e-6'];
export const MARKERS = ['concealed-address', 'adoption', 'witness-protection'];
/** The `now` property tests run at; `until` values fall either side of it. */
export const NOW = new Date('2026-11-21T08:00:00Z');

const DAY = 24 * 60 * 60 * 1000;

/**
 * Arbitraries for sharing tests. Takes fast-check as an argument so that `@jigsaw/sharing` never loads
 * it (a dev dependency) at run time: `sharingArbitraries(fc)`.
 */
export function sharingArbitraries(fc: Fc) {
  const agency = fc.constantFrom(...AGENCIES);
  const organisationOf = (a: Agency): Arbitrary<string> => fc.constantFrom(...ORGANISATIONS[a]);
  const organisation = agency.chain(organisationOf);
  const isoBetween = (min: number, max: number): Arbitrary<string> =>
    fc.integer({ min, max }).map((ms) => new Date(ms).toISOString());
  const around = (days: number): Arbitrary<string> =>
    isoBetween(NOW.getTime() - days * DAY, NOW.getTime() + days * DAY);

  const viewer: Arbitrary<Viewer> = agency.chain((a) =>
    fc.record({
      agency: fc.constant(a),
      organisation: organisationOf(a),
      role: fc.constantFrom(...ROLES),
      purpose: fc.constantFrom(...PURPOSES),
      userId: fc.constantFrom('user-1', 'user-2'),
    }),
  );

  const audienceEntry: Arbitrary<AudienceEntry> = fc.record(
    { agency, roles: fc.uniqueArray(fc.constantFrom(...ROLES), { minLength: 1, maxLength: 4 }) },
    { requiredKeys: ['agency'] },
  );

  const sharing: Arbitrary<SharingDecision> = fc.record(
    {
      basis: fc.record({
        lawfulBasis: fc.constantFrom(...LAWFUL_BASES),
        regime: fc.constantFrom(...REGIMES),
        specialCategory: fc.boolean(),
        condition: fc.constant('dpa-2018-sch1-para18'),
      }),
      consent: fc.record({
        status: fc.constantFrom(...CONSENT_STATUSES),
        reason: fc.constant('statutory duty'),
      }),
      purposes: fc.uniqueArray(fc.constantFrom(...PURPOSES), { minLength: 1 }),
      audience: fc.array(audienceEntry, { minLength: 1, maxLength: 4 }),
      sensitivity: fc.constantFrom(...SENSITIVITIES),
      markers: fc.uniqueArray(fc.constantFrom(...MARKERS), { maxLength: 2 }),
      until: around(30),
      decidedBy: fc.record({ role: fc.constant('officer'), organisation }),
    },
    { requiredKeys: ['basis', 'consent', 'purposes', 'audience', 'sensitivity', 'decidedBy'] },
  );

  const nhsNumber = fc
    .integer({ min: 0, max: 999_999 })
    .map((n) => `999${String(n).padStart(6, '0')}`)
    .filter((nine) => nhsNumberCheckDigit(nine) !== undefined)
    .map((nine) => `${nine}${nhsNumberCheckDigit(nine)}`);
  const upn = fc.integer({ min: 0, max: 99_999_999_999 }).map((n) => {
    const body = String(n).padStart(11, '0') + String(n % 10);
    return `${upnCheckLetter(body)}${body}`;
  });

  const subject: Arbitrary<ChildSubject> = fc.record(
    {
      nhsNumber,
      upn,
      localIds: fc.array(
        fc.record({ system: fc.constant('mosaic'), value: fc.stringMatching(/^LOC-\d{6}$/) }),
        { minLength: 1, maxLength: 2 },
      ),
      name: fc.record({
        given: fc.constantFrom('Amara', 'Noah'),
        family: fc.constantFrom('Example', 'Sample'),
      }),
      birthDate: fc.constantFrom('2016-04-02', '2019-11-30'),
      postcode: fc.constantFrom('LS1 4AP', 'E1 6AN'),
    },
    { requiredKeys: ['nhsNumber'] },
  );

  const domesticAbuseData = fc.record(
    {
      incidentReference: fc.stringMatching(/^CAD-\d{4}$/),
      occurredAt: around(3),
      childPresent: fc.boolean(),
      childInHousehold: fc.boolean(),
      force: fc.record(
        { name: fc.constant('Metropolitan Police Service'), code: fc.constant('MPS') },
        { requiredKeys: ['name'] },
      ),
      contact: fc.record(
        {
          name: fc.constant('PC Example'),
          role: fc.constant('Operation Encompass officer'),
          phone: fc.constant('020 7230 1212'),
          email: fc.constant('oe@met.example'),
        },
        { requiredKeys: ['name', 'phone'] },
      ),
      summary: fc.constantFrom('Police attended an incident at home last night.', 'The child was present.'),
      narrative: fc.constant('Police-only narrative.'),
      riskLevel: fc.constantFrom('standard', 'medium', 'high'),
    },
    { requiredKeys: ['incidentReference', 'occurredAt', 'childPresent', 'force', 'contact', 'summary'] },
  );

  /** Data of a type with no redaction rule, with the shielded and identifying fields a careless agency might send. */
  const otherData = fc.dictionary(
    fc.constantFrom('note', 'address', 'postcode', 'nhsNumber', 'birthFamily', 'outcome', 'school'),
    fc.oneof(fc.string({ maxLength: 8 }), fc.record({ postcode: fc.constant('LS1 4AP'), line: fc.string() })),
  );

  const recordedEvent = (
    options: { source?: Arbitrary<string>; type?: Arbitrary<string> } = {},
  ): Arbitrary<RecordedEvent> =>
    fc
      .record({
        id: fc.constantFrom(...EVENT_IDS),
        source: options.source ?? organisation,
        type:
          options.type ??
          fc.constantFrom(DOMESTIC_ABUSE_INCIDENT_NOTIFIED, REFERRAL_RECEIVED, 'health.attendance-recorded'),
        time: around(10),
        childid: fc.constantFrom(...CHILD_IDS),
        subject,
        sharing,
        recordedtime: around(10),
      })
      .chain((head) =>
        (head.type === DOMESTIC_ABUSE_INCIDENT_NOTIFIED ? domesticAbuseData : otherData).map(
          (data): RecordedEvent => ({
            specversion: '1.0',
            dataschema: dataschemaFor(head.type, 1),
            ...head,
            data,
          }),
        ),
      );

  const controlOf = (
    type: string,
    source: string,
    id: string,
    childid: string,
    data: Record<string, unknown>,
  ): RecordedEvent => ({
    specversion: '1.0',
    id,
    source,
    type,
    time: NOW.toISOString(),
    dataschema: dataschemaFor(type, 1),
    subject: { localIds: [{ system: 'hub', value: childid }] },
    sharing: {
      basis: { lawfulBasis: 'public-task', regime: 'uk-gdpr', specialCategory: false },
      consent: { status: 'not-applicable', reason: 'record keeping' },
      // Shared widely on purpose: only the owner-only rule keeps control events from others.
      purposes: ['safeguarding'],
      audience: [{ agency: 'council' }, { agency: 'education' }, { agency: 'health' }, { agency: 'police' }],
      sensitivity: 'standard',
      decidedBy: { role: 'records officer', organisation: source },
    },
    data,
    childid,
    recordedtime: NOW.toISOString(),
  });

  const recordControl = (target: Arbitrary<{ source: string; id: string; childid: string }>) =>
    fc
      .record({
        target,
        action: fc.constantFrom<RecordControlAction>(...RECORD_CONTROL_ACTIONS),
        id: fc.uuid(),
        corrections: fc.constantFrom<Record<string, unknown>>(
          { summary: 'Corrected summary.' },
          { narrative: 'Corrected.', childPresent: false },
          { postcode: 'E1 6AN', nhsNumber: '9434765919' },
        ),
      })
      .map(({ target, action, id, corrections }) =>
        controlOf(`${target.source.split(':')[3]}.${action}`, target.source, `ctl-${id}`, target.childid, {
          targetEventId: target.id,
          reason: 'entered in error',
          ...(action === 'record-corrected' ? { corrections } : {}),
        }),
      );

  const markerControl: Arbitrary<RecordedEvent> = fc
    .record({
      source: organisationOf('police'),
      set: fc.boolean(),
      id: fc.uuid(),
      childid: fc.constantFrom(...CHILD_IDS),
      marker: fc.constantFrom(...MARKERS),
    })
    .map(({ source, set, id, childid, marker }) =>
      controlOf(`police.protective-marker-${set ? 'set' : 'lifted'}`, source, `ctl-${id}`, childid, {
        marker,
        reason: 'risk to a parent',
      }),
    );

  /** A control event about one of the event ids in play, from any organisation (so mostly not the owner). */
  const controlEvent: Arbitrary<RecordedEvent> = fc.oneof(
    recordControl(
      fc.record({
        source: organisation,
        id: fc.constantFrom(...EVENT_IDS),
        childid: fc.constantFrom(...CHILD_IDS),
      }),
    ),
    markerControl,
  );

  /** Controls aimed at these records: by their owner, by someone else under the same id, or markers. */
  const controlsFor = (records: readonly RecordedEvent[]): Arbitrary<RecordedEvent[]> => {
    const target = fc.constantFrom(...records);
    const foreign = target.chain((t) =>
      fc.constantFrom(...ALL_ORGANISATIONS.filter((o) => o !== t.source)).map((source) => ({ ...t, source })),
    );
    return fc.array(fc.oneof(recordControl(target), recordControl(foreign), markerControl), {
      maxLength: 15,
    });
  };

  /** Merges two sequences at random, keeping each one's own order. */
  const interleave = <T>(a: readonly T[], b: readonly T[]): Arbitrary<T[]> =>
    fc
      .array(fc.boolean(), { minLength: a.length + b.length, maxLength: a.length + b.length })
      .map((picks) => {
        const merged: T[] = [];
        let i = 0;
        let j = 0;
        for (const pickA of picks) {
          if ((pickA && i < a.length) || j >= b.length) merged.push(a[i++]!);
          else merged.push(b[j++]!);
        }
        return merged;
      });

  /**
   * A child's history as it arrives: records, with controls mostly aimed at them (so they take effect
   * when they come after their target), some from other organisations, and protective markers.
   */
  const history: Arbitrary<RecordedEvent[]> = fc
    .array(recordedEvent(), { minLength: 1, maxLength: 12 })
    .chain((records) => controlsFor(records).chain((controls) => interleave(records, controls)));

  const note = fc.record({
    eventId: fc.constant('ctl-1'),
    time: around(1),
    reason: fc.constant('entered in error'),
  });
  const corrections = fc.constantFrom<Record<string, unknown>>(
    {},
    {},
    { summary: 'Corrected summary.' },
    { narrative: 'Corrected.', postcode: 'E1 6AN' },
  );
  const markers = fc.uniqueArray(fc.constantFrom(...MARKERS), { maxLength: 2 });
  const withCorrectedNotes = (state: Omit<SharingState, 'corrected'>): SharingState => ({
    ...state,
    corrected:
      Object.keys(state.corrections).length > 0
        ? [{ eventId: 'ctl-2', time: NOW.toISOString(), reason: 'typo' }]
        : [],
  });
  /** Mostly in force, so that visibility is often decided by the other rules. */
  const sharingState: Arbitrary<SharingState> = fc
    .oneof(
      { weight: 2, arbitrary: fc.record({ corrections, markers }) },
      {
        weight: 1,
        arbitrary: fc.record(
          { withdrawn: note, restricted: note, retracted: note, corrections, markers },
          { requiredKeys: ['corrections', 'markers'] },
        ),
      },
    )
    .map(withCorrectedNotes);

  /** Sharing that names this viewer's purpose, agency and (if roles are listed) role, among others. */
  const sharingFor = (viewer: Viewer): Arbitrary<SharingDecision> =>
    fc
      .tuple(
        sharing,
        fc.option(fc.uniqueArray(fc.constantFrom(...ROLES), { maxLength: 3 }), { nil: undefined }),
        fc.nat(),
      )
      .map(([base, roles, at]) => {
        const entry: AudienceEntry = roles
          ? { agency: viewer.agency, roles: [...roles, viewer.role] }
          : { agency: viewer.agency };
        const audience = [...base.audience];
        audience.splice(at % (audience.length + 1), 0, entry);
        return { ...base, purposes: [...new Set([...base.purposes, viewer.purpose])], audience };
      });

  /**
   * A viewer, an event and its state. Half the time the event is shared with the viewer's purpose,
   * agency and role, so the clearance, state and redaction rules get exercised and not just the audience.
   */
  const viewingCase = (
    options: { type?: Arbitrary<string> } = {},
  ): Arbitrary<[Viewer, RecordedEvent, SharingState]> =>
    fc
      .tuple(viewer, recordedEvent(options), sharingState, fc.boolean())
      .chain(([v, event, state, matched]) =>
        matched
          ? sharingFor(v).map((shared): [Viewer, RecordedEvent, SharingState] => [
              v,
              { ...event, sharing: shared },
              state,
            ])
          : fc.constant<[Viewer, RecordedEvent, SharingState]>([v, event, state]),
      );

  return {
    organisations: ORGANISATIONS,
    childIds: CHILD_IDS,
    eventIds: EVENT_IDS,
    markers: MARKERS,
    now: NOW,
    agency,
    organisation,
    organisationOf,
    viewer,
    audienceEntry,
    sharing,
    nhsNumber,
    upn,
    subject,
    domesticAbuseData,
    otherData,
    recordedEvent,
    controlOf,
    controlEvent,
    controlsFor,
    markerControl,
    sharingState,
    sharingFor,
    viewingCase,
    history,
  };
}

export type SharingArbitraries = ReturnType<typeof sharingArbitraries>;
