import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@jigsaw/config';
import {
  agencyOfSource,
  dataschemaFor,
  fromCloudEvent,
  type AudienceEntry,
  type JigsawCloudEvent,
  type JigsawEnvelope,
  type RecordedEvent,
  type Sensitivity,
} from '@jigsaw/envelope';
import { aNhsNumber, aUpn } from '@jigsaw/testing';

export const LEEDS = 'urn:jigsaw:org:council:leeds';
export const BRADFORD = 'urn:jigsaw:org:council:bradford';
export const HILLSIDE = 'urn:jigsaw:org:education:hillside-primary';
export const OAKWOOD = 'urn:jigsaw:org:education:oakwood-academy';
export const MET = 'urn:jigsaw:org:police:met';
export const LTH = 'urn:jigsaw:org:health:leeds-teaching-hospitals';

/** One child as the agencies know them, and as the hub does. */
export interface TestChild {
  nhsNumber: string;
  upn: string;
  childid: string;
}

export function aChild(): TestChild {
  return { nhsNumber: aNhsNumber(), upn: aUpn(), childid: randomUUID() };
}

/** A schema's own valid example: every event built here starts as one, so it stays valid as schemas change. */
function example(folder: string, file: string): JigsawEnvelope {
  const path = join(repoRoot(), 'schemas', folder, 'examples/valid', file);
  return fromCloudEvent(JSON.parse(readFileSync(path, 'utf8')) as JigsawCloudEvent);
}

interface Overrides {
  source?: string;
  audience?: AudienceEntry[];
  sensitivity?: Sensitivity;
  time?: string;
}

function build(
  folder: string,
  file: string,
  child: TestChild,
  data: Record<string, unknown>,
  overrides: Overrides,
): JigsawEnvelope {
  const base = example(folder, file);
  const source = overrides.source ?? base.source;
  const agency = agencyOfSource(source);
  // The example's local ids belong to its one child: each test child gets its own, as its NHS number.
  const localIds = base.subject.localIds?.map((id) => ({ ...id, value: `LC-${child.childid.slice(0, 8)}` }));
  const own = { ...base.subject, nhsNumber: child.nhsNumber, ...(localIds ? { localIds } : {}) };
  const subject = agency === 'education' ? { ...own, upn: child.upn } : own;
  return {
    ...base,
    id: `${folder.split('/')[1]}-${randomUUID()}`,
    source,
    ...(overrides.time ? { time: overrides.time } : {}),
    subject,
    sharing: {
      ...base.sharing,
      decidedBy: { ...base.sharing.decidedBy, organisation: source },
      ...(overrides.audience ? { audience: overrides.audience } : {}),
      ...(overrides.sensitivity ? { sensitivity: overrides.sensitivity } : {}),
    },
    data: { ...(base.data as Record<string, unknown>), ...data },
  };
}

/** The envelope as the hub records it: against the child's hub id, at a time. */
export function recorded(
  envelope: JigsawEnvelope,
  child: TestChild,
  at: string | Date = new Date(),
): RecordedEvent {
  return { ...envelope, childid: child.childid, recordedtime: new Date(at).toISOString() };
}

export function aPlanStarted(
  child: TestChild,
  o: Overrides & { startDate: string; contactTeam?: string },
): JigsawEnvelope {
  const base = example('council/child-protection-plan-started', 'neglect.json');
  const contact = {
    ...(base.data as { contact: object }).contact,
    ...(o.contactTeam ? { team: o.contactTeam } : {}),
  };
  return build(
    'council/child-protection-plan-started',
    'neglect.json',
    child,
    { startDate: o.startDate, contact },
    o,
  );
}

export function aPlanEnded(
  child: TestChild,
  o: Overrides & { startDate: string; endDate: string },
): JigsawEnvelope {
  return build(
    'council/child-protection-plan-ended',
    'ended.json',
    child,
    { startDate: o.startDate, endDate: o.endDate },
    o,
  );
}

export function aLookedAfterStarted(child: TestChild, o: Overrides & { startDate: string }): JigsawEnvelope {
  return build('council/looked-after-started', 'care-order.json', child, { startDate: o.startDate }, o);
}

/** Any council record: the council has the child on its books. */
export function aLeadPractitioner(child: TestChild, o: Overrides & { assignedDate: string }): JigsawEnvelope {
  return build(
    'council/lead-practitioner-assigned',
    'social-worker.json',
    child,
    { assignedDate: o.assignedDate },
    o,
  );
}

export function anAttendance(child: TestChild, o: Overrides & { arrivedAt: string }): JigsawEnvelope {
  return build(
    'health/unscheduled-care-attended',
    'emergency-department.json',
    child,
    { arrivedAt: o.arrivedAt },
    { time: o.arrivedAt, ...o },
  );
}

export function anIncident(
  child: TestChild,
  o: Overrides & { occurredAt: string; schoolUrn?: string },
): JigsawEnvelope {
  return build(
    'police/domestic-abuse-incident-notified',
    'child-present.json',
    child,
    {
      occurredAt: o.occurredAt,
      incidentReference: `CAD-${randomUUID().slice(0, 8)}`,
      ...(o.schoolUrn ? { schoolUrn: o.schoolUrn } : {}),
    },
    { time: o.occurredAt, ...o },
  );
}

export function aPupilOnRoll(
  child: TestChild,
  o: Overrides & {
    onRollFrom: string;
    urn?: string;
    name?: string;
    dsl?: { name: string; phone: string } | null;
  },
): JigsawEnvelope {
  const base = example('education/pupil-on-roll', 'year-5.json');
  const { dsl: baseDsl, ...rest } = base.data as Record<string, unknown>;
  const dsl = o.dsl === null ? {} : { dsl: o.dsl ?? baseDsl };
  const envelope = build(
    'education/pupil-on-roll',
    'year-5.json',
    child,
    {
      ...rest,
      ...dsl,
      onRollFrom: o.onRollFrom,
      school: { urn: o.urn ?? '123456', name: o.name ?? 'Hillside Primary School' },
    },
    o,
  );
  if (o.dsl === null) delete (envelope.data as Record<string, unknown>)['dsl'];
  return envelope;
}

export function aKeyAdult(
  child: TestChild,
  o: Overrides & {
    urn?: string;
    name?: string;
    keyAdult: { name: string; role: string; phone: string; secureEmail: string };
  },
): JigsawEnvelope {
  return build(
    'education/key-adult-registered',
    'dsl.json',
    child,
    { school: { urn: o.urn ?? '123456', name: o.name ?? 'Hillside Primary School' }, keyAdult: o.keyAdult },
    o,
  );
}

export function aHomeEducationNotice(child: TestChild, o: Overrides & { offRollOn: string }): JigsawEnvelope {
  return build(
    'education/elective-home-education-notified',
    'by-letter.json',
    child,
    { notifiedOn: o.offRollOn, offRollOn: o.offRollOn },
    o,
  );
}

export function aMissingEducationReport(
  child: TestChild,
  o: Overrides & { reportedOn: string },
): JigsawEnvelope {
  const e = build(
    'education/child-missing-education-reported',
    'not-returned.json',
    child,
    { reportedOn: o.reportedOn },
    o,
  );
  delete (e.data as Record<string, unknown>)['lastAttendedOn'];
  return e;
}

/** The owner takes a record back as entered in error. */
export function aRetraction(target: JigsawEnvelope, child: TestChild): JigsawEnvelope {
  const agency = agencyOfSource(target.source)!;
  const base = example('control/record-retracted', 'education-record-retracted.json');
  return {
    ...base,
    id: `retraction-${randomUUID()}`,
    source: target.source,
    type: `${agency}.record-retracted`,
    dataschema: dataschemaFor('record-retracted', 1),
    subject: { nhsNumber: child.nhsNumber },
    sharing: { ...base.sharing, decidedBy: { ...base.sharing.decidedBy, organisation: target.source } },
    data: { targetEventId: target.id, reason: 'Entered in error against the wrong child.' },
  };
}
