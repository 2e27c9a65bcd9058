import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { repoRoot } from '@jigsaw/config';
import { AGENCIES, SchemaRegistry, toCloudEvent, type Agency, type RecordedEvent } from '@jigsaw/envelope';
import {
  evolveNotification,
  decideNotification,
  foldNotification,
  initialNotificationState,
  NotificationRefused,
  type NotificationCommand,
} from './notification.decider.js';
import {
  NOTIFICATION_EVENT_TYPES,
  type DeliveryKind,
  type NotificationAcknowledgedData,
  type NotificationDataOf,
  type NotificationDeliveryFailedData,
  type NotificationEvent,
  type NotificationEventType,
} from './notification.events.js';
import {
  NOTIFICATION_KINDS,
  ROUTES,
  type CareStatusSummary,
  type EscalationOutcome,
  type NewNotification,
  type NotificationDetails,
  type NotificationKind,
  type Route,
} from './notification.js';

const registry = new SchemaRegistry();

/**
 * Each data interface's fields, each required or optional and with its own fields where it is an object (or
 * an array of them). A table that leaves out or adds a field, or gets one's presence wrong, does not compile:
 * comparing it with the schema holds the schema to the interface.
 */
type Presence<T, K extends keyof T> = object extends Pick<T, K> ? 'optional' : 'required';
type Inner<V> = V extends readonly (infer U)[] ? Inner<U> : V extends object ? Shape<V> : null;
type Shape<T> = {
  [K in keyof T]-?: Inner<NonNullable<T[K]>> extends null
    ? Presence<T, K>
    : [Presence<T, K>, Inner<NonNullable<T[K]>>];
};
interface ShapeTable {
  [field: string]: 'required' | 'optional' | ['required' | 'optional', ShapeTable];
}

const ORGANISATION_AND_AGENCY = { organisation: 'required', agency: 'required' } as const;

const DETAILS: Shape<NotificationDetails> = {
  school: ['optional', { urn: 'required', name: 'required' }],
  addressee: ['optional', { name: 'required', role: 'required', phone: 'optional', secureEmail: 'optional' }],
  careStatuses: [
    'optional',
    {
      kind: 'required',
      startDate: 'required',
      endDate: 'optional',
      inForce: 'required',
      contact: ['optional', { team: 'required', phone: 'required', outOfHoursPhone: 'required' }],
    },
  ],
  statusEvents: 'optional',
  lookup: ['optional', { at: 'required', organisation: 'required' }],
  escalation: [
    'optional',
    {
      of: 'required',
      recipient: ['required', { ...ORGANISATION_AND_AGENCY, route: 'required' }],
      dueAt: 'required',
    },
  ],
};

const DELIVERY_FIELDS = {
  notificationId: 'required',
  deliveryId: 'required',
  deliveryKind: 'required',
  organisation: 'required',
  attempt: 'required',
} as const;

const SHAPES: { [T in NotificationEventType]: Shape<NotificationDataOf<T>> } = {
  'hub.notification-raised': {
    notificationId: 'required',
    dedupeKey: 'required',
    kind: 'required',
    childId: 'required',
    triggerEventKey: 'required',
    recipient: ['required', ORGANISATION_AND_AGENCY],
    route: 'required',
    details: ['required', DETAILS],
    escalationOf: 'optional',
    dueAt: 'optional',
    raisedAt: 'required',
    delivery: ['optional', { deliveryId: 'required' }],
  },
  'hub.notification-delivered': { ...DELIVERY_FIELDS, httpStatus: 'required', deliveredAt: 'required' },
  'hub.notification-delivery-failed': {
    ...DELIVERY_FIELDS,
    failedAt: 'required',
    outcome: 'required',
    reason: 'required',
    httpStatus: 'optional',
    nextAttemptAt: 'optional',
  },
  'hub.notification-acknowledged': {
    notificationId: 'required',
    acknowledgedAt: 'required',
    acknowledgedBy: ['required', { sub: 'required', role: 'required', organisation: 'required' }],
  },
  'hub.notification-escalated': {
    notificationId: 'required',
    escalatedAt: 'required',
    outcome: 'required',
    escalations: 'required',
  },
  'hub.notification-recalled': {
    notificationId: 'required',
    recalledAt: 'required',
    organisation: 'required',
    deliveryId: 'required',
  },
};

/** The values of a string union, checked at compile time to be all of them. */
function allOf<T extends string>() {
  return <const A extends readonly T[]>(
    values: A & ([Exclude<T, A[number]>] extends [never] ? unknown : { missing: Exclude<T, A[number]> }),
  ): readonly string[] => values;
}

/** Every enum of every schema, with the TypeScript union it must equal. */
const ENUMS: Record<NotificationEventType, Record<string, readonly string[]>> = {
  'hub.notification-raised': {
    kind: allOf<NotificationKind>()(NOTIFICATION_KINDS),
    'recipient.agency': allOf<Agency>()(AGENCIES),
    route: allOf<Route>()(ROUTES),
    'details.careStatuses.kind': allOf<CareStatusSummary['kind']>()([
      'child-protection-plan',
      'looked-after',
    ]),
    'details.escalation.recipient.agency': AGENCIES,
    'details.escalation.recipient.route': ROUTES,
  },
  'hub.notification-delivered': { deliveryKind: allOf<DeliveryKind>()(['notification', 'recall']) },
  'hub.notification-delivery-failed': {
    deliveryKind: allOf<DeliveryKind>()(['notification', 'recall']),
    outcome: allOf<NotificationDeliveryFailedData['outcome']>()(['failed', 'cancelled']),
  },
  'hub.notification-acknowledged': {},
  'hub.notification-escalated': { outcome: allOf<EscalationOutcome>()(['escalated', 'not-shared']) },
  'hub.notification-recalled': {},
};

interface SchemaNode {
  type?: string;
  enum?: string[];
  required?: string[];
  additionalProperties?: boolean;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

function schemaOf(type: NotificationEventType): SchemaNode {
  const path = join(repoRoot(), 'schemas/hub', type.slice('hub.'.length), 'v1.json');
  return JSON.parse(readFileSync(path, 'utf8')) as SchemaNode;
}

const objectOf = (node: SchemaNode): SchemaNode => (node.type === 'array' && node.items ? node.items : node);

/** Where the schema and the interface's table disagree, field by field. */
function differences(schema: SchemaNode, shape: ShapeTable, at = ''): string[] {
  const found: string[] = [];
  if (schema.type !== 'object' || schema.additionalProperties !== false) {
    found.push(`${at || '(data)'}: not an object closed to other fields`);
  }
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  for (const field of new Set([...Object.keys(properties), ...Object.keys(shape)])) {
    const path = `${at}${field}`;
    const entry = shape[field];
    const property = properties[field];
    if (!property) {
      found.push(`${path}: in the interface, not the schema`);
      continue;
    }
    if (!entry) {
      found.push(`${path}: in the schema, not the interface`);
      continue;
    }
    const [presence, inner] = Array.isArray(entry) ? entry : [entry, undefined];
    if ((presence === 'required') !== required.has(field)) {
      found.push(`${path}: ${presence} in the interface, not in the schema`);
    }
    const node = objectOf(property);
    if (inner) found.push(...differences(node, inner, `${path}.`));
    else if (node.type === 'object') found.push(`${path}: an object in the schema, not in the interface`);
  }
  return found;
}

function enumAt(schema: SchemaNode, path: string): string[] | undefined {
  let node: SchemaNode | undefined = schema;
  for (const key of path.split('.')) node = node && objectOf(node).properties?.[key];
  return node?.enum;
}

function enumsIn(schema: SchemaNode, at = ''): string[] {
  if (schema.enum) return [at.slice(0, -1)];
  const node = objectOf(schema);
  return Object.entries(node.properties ?? {}).flatMap(([key, child]) => enumsIn(child, `${at}${key}.`));
}

describe('the notification events and their schemas (schemas/hub/notification-*)', () => {
  it.each(NOTIFICATION_EVENT_TYPES.map((type) => [type]))(
    '%s: the schema has exactly the fields of the data interface, required exactly where it is',
    (type) => {
      expect(registry.types.get(type)).toBe(1);
      expect(differences(schemaOf(type), SHAPES[type] as unknown as ShapeTable)).toEqual([]);
    },
  );

  it.each(NOTIFICATION_EVENT_TYPES.map((type) => [type]))(
    "%s: every enum of the schema is exactly its TypeScript union's values",
    (type) => {
      const schema = schemaOf(type);
      expect(enumsIn(schema).sort()).toEqual(Object.keys(ENUMS[type]).sort());
      for (const [path, values] of Object.entries(ENUMS[type])) {
        expect([path, enumAt(schema, path)]).toEqual([path, [...values]]);
      }
    },
  );

  it('notices a field the interface has and the schema lacks, a presence that differs, and an open object', () => {
    const schema: SchemaNode = {
      type: 'object',
      additionalProperties: false,
      required: ['a'],
      properties: { a: { type: 'string' }, b: { type: 'object', properties: {} } },
    };
    expect(differences(schema, { b: ['required', { c: 'optional' }] })).toEqual([
      'a: in the schema, not the interface',
      'b: required in the interface, not in the schema',
      'b.: not an object closed to other fields',
      'b.c: in the interface, not the schema',
    ]);
  });
});

const SCHOOL = 'urn:jigsaw:org:education:hillside-primary';
const LEEDS = 'urn:jigsaw:org:council:leeds';
const MET = 'urn:jigsaw:org:police:met';
const CHILD = '6f1c1a52-8d3e-4a57-9a52-1b0c3f0d2a11';
const ids = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const at = (iso: string): Date => new Date(iso);

/** Runs commands through the decider as the command handler does, keeping what it decided. */
function run(commands: readonly NotificationCommand[]): NotificationEvent[] {
  const events: NotificationEvent[] = [];
  for (const command of commands) {
    events.push(...decideNotification(foldNotification(events), command));
  }
  return events;
}

const problemsOf = (event: RecordedEvent): unknown => registry.validateEnvelope(toCloudEvent(event));

const encompass: NewNotification = {
  dedupeKey: `operation-encompass|${MET}|oe-1`,
  kind: 'operation-encompass',
  childId: CHILD,
  triggerEventKey: `${MET}|oe-1`,
  recipient: { organisation: SCHOOL, agency: 'education' },
  route: 'school-roll',
  details: {
    school: { urn: '123456', name: 'Hillside Primary School' },
    addressee: {
      name: 'Ms A Khan',
      role: 'designated-safeguarding-lead',
      phone: '0113 496 0000',
      secureEmail: 'dsl@hillside.sch.uk',
    },
  },
  dueAt: at('2026-11-23T08:30:00Z'),
};

const cpIs: NewNotification = {
  dedupeKey: `cp-is-lookup|access-${ids(9)}`,
  kind: 'cp-is',
  childId: CHILD,
  triggerEventKey: `${LEEDS}|cpp-1`,
  recipient: { organisation: LEEDS, agency: 'council' },
  route: 'responsible-council',
  details: {
    careStatuses: [
      {
        kind: 'child-protection-plan',
        startDate: '2026-06-02',
        endDate: '2026-10-01',
        inForce: false,
        contact: { team: 'Leeds North CP team', phone: '0113 222 4401', outOfHoursPhone: '0113 535 0600' },
      },
      { kind: 'looked-after', startDate: '2026-10-02', inForce: true },
    ],
    statusEvents: [`${LEEDS}|cpp-1`, `${LEEDS}|cpp-1-ended`, `${LEEDS}|lac-1`],
    lookup: {
      at: '2026-11-20T22:10:00.000Z',
      organisation: 'urn:jigsaw:org:health:leeds-teaching-hospitals',
    },
  },
};

const escalation: NewNotification = {
  dedupeKey: `escalation|${ids(1)}|${MET}`,
  kind: 'escalation',
  childId: CHILD,
  triggerEventKey: `${MET}|oe-1`,
  recipient: { organisation: MET, agency: 'police' },
  route: 'raised-by',
  escalationOf: ids(1),
  details: {
    escalation: {
      of: ids(1),
      recipient: { organisation: SCHOOL, agency: 'education', route: 'school-roll' },
      dueAt: '2026-11-23T08:30:00.000Z',
    },
  },
};

/** One notification through every event the decider makes: raised, failed and retried, delivered, recalled. */
const lifecycle = run([
  {
    type: 'raise',
    now: at('2026-11-20T23:05:00Z'),
    notificationId: ids(1),
    notification: encompass,
    deliveryId: ids(2),
  },
  {
    type: 'record-attempt',
    now: at('2026-11-20T23:05:02Z'),
    deliveryId: ids(2),
    attempt: 1,
    result: { outcome: 'failed', httpStatus: 503, reason: 'answered 503' },
    retryAt: at('2026-11-20T23:06:02Z'),
  },
  {
    type: 'record-attempt',
    now: at('2026-11-20T23:06:03Z'),
    deliveryId: ids(2),
    attempt: 2,
    result: { outcome: 'delivered', httpStatus: 204 },
  },
  { type: 'recall', now: at('2026-11-21T10:00:00Z'), organisation: SCHOOL, deliveryId: ids(3) },
  {
    type: 'record-attempt',
    now: at('2026-11-21T10:00:01Z'),
    deliveryId: ids(3),
    attempt: 1,
    result: { outcome: 'cancelled', reason: 'the event stands again' },
  },
  { type: 'escalate', now: at('2026-11-23T08:30:00Z'), outcome: 'escalated', escalations: [ids(4), ids(5)] },
]);
const acknowledged = run([
  { type: 'raise', now: at('2026-11-20T22:11:00Z'), notificationId: ids(6), notification: cpIs },
  {
    type: 'acknowledge',
    now: at('2026-11-21T09:00:00Z'),
    by: { sub: 'sw-1', role: 'social-worker', organisation: LEEDS },
  },
]);
const escalated = run([
  {
    type: 'raise',
    now: at('2026-11-23T08:30:00Z'),
    notificationId: ids(4),
    notification: escalation,
    deliveryId: ids(7),
  },
]);
const decided = [...lifecycle, ...acknowledged, ...escalated];

describe('the events the decider makes', () => {
  it('include every notification event type', () => {
    expect(new Set(decided.map((e) => e.type))).toEqual(new Set(NOTIFICATION_EVENT_TYPES));
  });

  it.each(decided.map((event): [string, NotificationEvent] => [`${event.type} ${event.id}`, event]))(
    '%s is a valid CloudEvent of its own schema, with the validator ingest uses',
    (_name, event) => {
      expect(event.dataschema).toBe(`urn:jigsaw:schema:${event.type}:v1`);
      expect(problemsOf(event)).toEqual([]);
    },
  );

  it('are refused when malformed, naming the field', () => {
    const [raised] = lifecycle;
    const record = raised!.data as unknown as Record<string, unknown>;
    // What the incident said never travels with a notification.
    const withContent = {
      ...raised!,
      data: { ...record, details: { ...encompass.details, summary: 'Mother assaulted by partner' } },
    } as RecordedEvent;
    expect(problemsOf(withContent)).toEqual([
      { field: 'data.record.details.summary', reason: 'is not allowed' },
    ]);
    const { raisedAt: _raisedAt, ...noTime } = record;
    expect(problemsOf({ ...raised!, data: { ...noTime, route: 'anywhere' } })).toEqual([
      { field: 'data.record.raisedAt', reason: 'is required' },
      { field: 'data.record.route', reason: `must be one of ${ROUTES.join(', ')}` },
    ]);
    const [, ack] = acknowledged;
    const ackData = ack!.data as NotificationAcknowledgedData;
    expect(
      problemsOf({
        ...ack!,
        data: { ...ackData, acknowledgedBy: { ...ackData.acknowledgedBy, organisation: 'Leeds' } },
      }),
    ).toEqual([
      {
        field: 'data.record.acknowledgedBy.organisation',
        reason: 'must match pattern "^urn:jigsaw:org:(council|police|health|education):[a-z0-9][a-z0-9-]*$"',
      },
    ]);
  });
});

const organisationOf = (agency: Agency): fc.Arbitrary<string> =>
  fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,30}$/).map((code) => `urn:jigsaw:org:${agency}:${code}`);
const anyOrganisation = fc.constantFrom(...AGENCIES).chain(organisationOf);
const eventKey = fc
  .tuple(anyOrganisation, fc.stringMatching(/^[A-Za-z0-9._:/-]{1,60}$/))
  .map(([source, id]) => `${source}|${id}`);
const moment = fc
  .date({ min: at('2020-01-01T00:00:00Z'), max: at('2030-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
const day = moment.map((iso) => iso.slice(0, 10));
const phone = fc.stringMatching(/^[0-9 +()-]{6,20}$/);
const text = (maxLength: number): fc.Arbitrary<string> => fc.string({ minLength: 1, maxLength });
const uuid = fc.uuid({ version: 5 });
const recipient = fc
  .constantFrom(...AGENCIES)
  .chain((agency) => organisationOf(agency).map((organisation) => ({ organisation, agency })));

/** One arbitrary per field of NotificationDetails: a field added to it fails to compile until it has one. */
const detailFields: {
  [K in keyof NotificationDetails]-?: fc.Arbitrary<NonNullable<NotificationDetails[K]>>;
} = {
  school: fc.record({ urn: fc.stringMatching(/^[0-9]{6}$/), name: text(200) }),
  addressee: fc.record(
    {
      name: text(100),
      role: text(100),
      phone,
      secureEmail: fc.stringMatching(/^[a-z]{1,20}\.[a-z]{1,20}@[a-z]{1,20}\.sch\.uk$/),
    },
    { requiredKeys: ['name', 'role'] },
  ),
  careStatuses: fc.array(
    fc.record(
      {
        kind: fc.constantFrom('child-protection-plan' as const, 'looked-after' as const),
        startDate: day,
        endDate: day,
        inForce: fc.boolean(),
        contact: fc.record({ team: text(100), phone, outOfHoursPhone: phone }),
      },
      { requiredKeys: ['kind', 'startDate', 'inForce'] },
    ),
    { maxLength: 4 },
  ),
  statusEvents: fc.array(eventKey, { maxLength: 6 }),
  lookup: fc.record({ at: moment, organisation: organisationOf('health') }),
  escalation: fc.record({
    of: uuid,
    recipient: fc.tuple(recipient, fc.constantFrom(...ROUTES)).map(([r, route]) => ({ ...r, route })),
    dueAt: moment,
  }),
};

const aNotification: fc.Arbitrary<NewNotification> = fc
  .record(
    {
      kind: fc.constantFrom(...NOTIFICATION_KINDS),
      childId: fc.uuid({ version: 4 }),
      triggerEventKey: eventKey,
      recipient,
      route: fc.constantFrom(...ROUTES),
      details: fc.record(detailFields, { requiredKeys: [] }),
      escalationOf: uuid,
      dueAt: moment.map((iso) => new Date(iso)),
    },
    { requiredKeys: ['kind', 'childId', 'triggerEventKey', 'recipient', 'route', 'details'] },
  )
  .map((n) => ({ ...n, dedupeKey: `${n.kind}|${n.triggerEventKey}|${n.recipient.organisation}` }));

/** Any command the handlers send after the raise, in any order; the decider refuses what history forbids. */
const aLaterCommand = (deliveryIds: readonly string[]): fc.Arbitrary<NotificationCommand> =>
  fc.oneof(
    fc.record({
      type: fc.constant('record-attempt' as const),
      now: moment.map((iso) => new Date(iso)),
      deliveryId: fc.constantFrom(...deliveryIds),
      attempt: fc.integer({ min: 1, max: 8 }),
      result: fc.oneof(
        fc.record({
          outcome: fc.constant('delivered' as const),
          httpStatus: fc.integer({ min: 200, max: 299 }),
        }),
        fc.record(
          {
            outcome: fc.constant('failed' as const),
            httpStatus: fc.integer({ min: 100, max: 599 }),
            reason: text(200),
          },
          { requiredKeys: ['outcome', 'reason'] },
        ),
        fc.record({ outcome: fc.constant('cancelled' as const), reason: text(200) }),
      ),
      retryAt: fc.option(
        moment.map((iso) => new Date(iso)),
        { nil: undefined },
      ),
    }),
    fc.record({
      type: fc.constant('acknowledge' as const),
      now: moment.map((iso) => new Date(iso)),
      by: fc.record({ sub: text(200), role: text(100), organisation: anyOrganisation }),
    }),
    fc.record({
      type: fc.constant('escalate' as const),
      now: moment.map((iso) => new Date(iso)),
      outcome: fc.constantFrom('escalated' as const, 'not-shared' as const),
      escalations: fc.array(uuid, { maxLength: 3 }),
    }),
    fc.record({
      type: fc.constant('recall' as const),
      now: moment.map((iso) => new Date(iso)),
      organisation: anyOrganisation,
      deliveryId: fc.constantFrom(...deliveryIds),
    }),
  );

describe('every event the decider can make', () => {
  it('meets its schema, whatever the notification and whatever follows it', () => {
    const runs = Number(process.env['PROPERTY_RUNS'] ?? 100);
    const seen = new Set<string>();
    fc.assert(
      fc.property(
        aNotification,
        uuid,
        fc.option(uuid, { nil: undefined }),
        moment,
        fc
          .array(uuid, { minLength: 1, maxLength: 2 })
          .chain((recalls) =>
            fc.tuple(fc.constant(recalls), fc.array(aLaterCommand(recalls), { maxLength: 12 })),
          ),
        (notification, notificationId, deliveryId, raisedAt, [recallIds, later]) => {
          const raise: NotificationCommand = {
            type: 'raise',
            now: new Date(raisedAt),
            notificationId,
            notification,
            ...(deliveryId ? { deliveryId } : {}),
          };
          let state = initialNotificationState;
          // Attempts go to the raise's own delivery or a recall's; recalls to the recipient it was raised for.
          const commands = later.map((command): NotificationCommand => {
            if (command.type === 'record-attempt' && deliveryId && command.deliveryId === recallIds[0])
              return { ...command, deliveryId };
            if (command.type === 'recall')
              return { ...command, organisation: notification.recipient.organisation };
            return command;
          });
          for (const command of [raise, ...commands]) {
            let events: NotificationEvent[];
            try {
              events = decideNotification(state, command);
            } catch (error) {
              if (error instanceof NotificationRefused) continue;
              throw error;
            }
            for (const event of events) {
              seen.add(event.type);
              expect([event.type, problemsOf(event)]).toEqual([event.type, []]);
              state = evolveNotification(state, event);
            }
          }
        },
      ),
      { numRuns: runs },
    );
    // A full run reaches every type, so the property says something of each (a few runs may not).
    if (runs >= 100) expect([...seen].sort()).toEqual([...NOTIFICATION_EVENT_TYPES].sort());
  });
});
