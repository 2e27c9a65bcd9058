import { Inject, Injectable } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ErrorCode, JigsawError, type FieldProblem } from '@jigsaw/errors';
import {
  agencyOfSource,
  cloudEventField,
  contentHash,
  fromCloudEvent,
  SchemaRegistry,
  type JigsawCloudEvent,
  type JigsawEnvelope,
  type RecordedEvent,
} from '@jigsaw/envelope';
import { PersonalDataVault } from '@jigsaw/erasure';
import { DuplicateEventError, type EventStore } from '@jigsaw/event-store';
import { mergeProblems, validationFailed } from '@jigsaw/http';
import { IdentityRegistry } from '@jigsaw/identity';
import { EVENT_STORE } from '@jigsaw/platform';
import { Traced } from '@jigsaw/telemetry';
import { foldAgencyState } from './agency-state.js';
import type { AgencyCallerIdentity } from './caller.js';
import { ChildStreams } from './child-stream.js';
import { decide } from './decide.js';
import type { AgencyCatalogue, EventTypeDefinition } from './event-type.js';
import { AGENCY_CATALOGUE } from './tokens.js';

export interface RecordEventResult {
  id: string;
  status: 'accepted' | 'duplicate';
}

export class RecordEvent extends Command<RecordEventResult> {
  constructor(
    /** One CloudEvent, as structured JSON (binary mode is read into this shape first). */
    readonly body: unknown,
    readonly now: Date,
    /** The authenticated agency system; when given, the event's source must be its organisation. */
    readonly caller?: AgencyCallerIdentity,
  ) {
    super();
  }
}

/** What recording needs, whether one event or a transaction: the agency's types, the store, identity. */
@Injectable()
export abstract class IngestHandler {
  private readonly types: Map<string, EventTypeDefinition>;
  /** The agency's children's streams, written under the one retry policy. */
  protected readonly children: ChildStreams;

  constructor(
    @Inject(AGENCY_CATALOGUE) protected readonly catalogue: AgencyCatalogue,
    private readonly schemas: SchemaRegistry,
    @Inject(EVENT_STORE) protected readonly store: EventStore,
    protected readonly identity: IdentityRegistry,
    protected readonly vault: PersonalDataVault,
  ) {
    this.types = new Map(catalogue.types.map((t) => [t.type, t]));
    this.children = new ChildStreams(store, identity, vault, catalogue.agency);
  }

  protected check(body: unknown, caller: AgencyCallerIdentity | undefined): Promise<CheckedEnvelope> {
    return new Promise((resolve) =>
      resolve(checkEnvelope(body, caller, this.catalogue, this.types, this.schemas)),
    );
  }

  /** An id already stored: a duplicate if with the same content, refused if with other; else undefined. */
  protected async resent(envelope: JigsawEnvelope, hash: string): Promise<RecordEventResult | undefined> {
    const stored = await this.store.findEvent(envelope.source, envelope.id);
    if (stored && stored.contentHash !== hash) throw idReused(envelope.id);
    return stored ? { id: envelope.id, status: 'duplicate' } : undefined;
  }
}

@CommandHandler(RecordEvent)
export class RecordEventHandler
  extends IngestHandler
  implements ICommandHandler<RecordEvent, RecordEventResult>
{
  @Traced('command RecordEvent')
  async execute({ body, now, caller }: RecordEvent): Promise<RecordEventResult> {
    const { envelope, definition, hash } = await this.check(body, caller);
    const sighting = { subject: envelope.subject, eventType: envelope.type };
    return this.children.record(async (): Promise<RecordEventResult> => {
      // Every rule runs before anything is written: the plan only reads the registry.
      const child = await this.children.read([sighting]);
      let events: RecordedEvent[];
      try {
        events = inCloudEventTerms(() =>
          decide(envelope, definition, { now, childId: child.childId, state: child.state }),
        );
      } catch (error) {
        // A rule on the child's history (one plan at a time) refuses the event itself when its id is sent
        // again: a resend is a duplicate, other content under the id a conflict, as when the rule passes.
        const resent = await this.resent(envelope, hash);
        if (resent) return resent;
        throw error;
      }
      try {
        // Identity links and evidence commit with the event or not at all.
        await this.children.append(child, events, [hash]);
        return { id: envelope.id, status: 'accepted' };
      } catch (error) {
        // Resent events are rare, so the store's unique (source, id) finds them, not a read before each write;
        // an id that is not stored after all was a race, run again.
        const resent = error instanceof DuplicateEventError && (await this.resent(envelope, hash));
        if (resent) return resent;
        throw error;
      }
    });
  }
}

/**
 * Records several envelopes about one child all or nothing (a FHIR transaction): every entry is checked,
 * then every new event is appended to the child's stream in one append, so a refusal of any entry, however
 * late, leaves nothing of the others behind. An entry already stored with the same content is a duplicate.
 */
export class RecordTransaction extends Command<RecordEventResult[]> {
  constructor(
    readonly bodies: readonly unknown[],
    readonly now: Date,
    readonly caller?: AgencyCallerIdentity,
  ) {
    super();
  }
}

/** The entry of a transaction that the hub refused; nothing of the transaction was recorded. */
export class TransactionEntryRefusedError extends JigsawError {
  constructor(
    /** 0-based, in the order of the transaction's bodies. */
    readonly index: number,
    readonly refusal: JigsawError,
  ) {
    super(refusal.code, `entry ${index} was refused, so nothing was recorded: ${refusal.message}`, [
      ...refusal.problems,
    ]);
  }
}

async function refusedAs<T>(index: number, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw error instanceof JigsawError ? new TransactionEntryRefusedError(index, error) : error;
  }
}

@CommandHandler(RecordTransaction)
export class RecordTransactionHandler
  extends IngestHandler
  implements ICommandHandler<RecordTransaction, RecordEventResult[]>
{
  @Traced('command RecordTransaction')
  async execute({ bodies, now, caller }: RecordTransaction): Promise<RecordEventResult[]> {
    const checked: CheckedEnvelope[] = [];
    const firstOf = new Map<string, number>();
    for (const [index, body] of bodies.entries()) {
      const entry = await refusedAs(index, () => this.check(body, caller));
      const earlier = firstOf.get(entry.envelope.id);
      if (earlier !== undefined && checked[earlier]!.hash !== entry.hash) {
        throw new TransactionEntryRefusedError(index, idReused(entry.envelope.id));
      }
      if (earlier === undefined) firstOf.set(entry.envelope.id, index);
      checked.push(entry);
    }
    return this.children.record(async () => {
      const results: RecordEventResult[] = [];
      const fresh: { index: number; entry: CheckedEnvelope }[] = [];
      for (const [index, entry] of checked.entries()) {
        const { envelope, hash } = entry;
        // An id now stored with other content is refused; one stored meanwhile, by a racer, is a duplicate.
        const repeated = firstOf.get(envelope.id) !== index;
        const stored = repeated ? undefined : await refusedAs(index, () => this.resent(envelope, hash));
        results.push({ id: envelope.id, status: stored || repeated ? 'duplicate' : 'accepted' });
        if (!stored && !repeated) fresh.push({ index, entry });
      }
      if (fresh.length === 0) return results;
      // A child new to the hub is planned once: every entry files under the same new id.
      const child = await this.children.read(
        fresh.map(({ entry }) => ({ subject: entry.envelope.subject, eventType: entry.envelope.type })),
      );
      const elsewhere = child.plans.findIndex((plan) => plan.childId !== child.childId);
      if (elsewhere >= 0) {
        throw new TransactionEntryRefusedError(
          fresh[elsewhere]!.index,
          validationFailed([{ field: 'data.child', reason: "must name the transaction's one child" }]),
        );
      }
      const events: RecordedEvent[] = [];
      const hashes: string[] = [];
      let { state } = child;
      for (const { index, entry } of fresh) {
        const decided = await refusedAs(index, () =>
          inCloudEventTerms(() =>
            decide(entry.envelope, entry.definition, { now, childId: child.childId, state }),
          ),
        );
        state = foldAgencyState(decided, state);
        events.push(...decided);
        hashes.push(...decided.map(() => entry.hash));
      }
      // Another writer getting there first (the child's stream, its identifiers, or one of these ids) runs
      // the attempt again.
      await this.children.append(child, events, hashes);
      return results;
    });
  }
}

export function idReused(id: string): JigsawError {
  return new JigsawError(
    ErrorCode.DuplicateEventConflict,
    `an event with id ${id} was already received from this source with different content`,
    [{ field: 'id', reason: 'was already used for different content' }],
  );
}

export interface CheckedEnvelope {
  envelope: JigsawEnvelope;
  definition: EventTypeDefinition;
  hash: string;
}

/** A valid envelope of a type this agency records, sent by the caller's own organisation. */
function checkEnvelope(
  body: unknown,
  caller: AgencyCallerIdentity | undefined,
  catalogue: AgencyCatalogue,
  types: ReadonlyMap<string, EventTypeDefinition>,
  schemas: SchemaRegistry,
): CheckedEnvelope {
  const { envelope, definition } = validateEnvelope(body, catalogue, types, schemas);
  if (caller && caller.organisation !== envelope.source) {
    throw new JigsawError(ErrorCode.Forbidden, 'an agency system may publish only as its own organisation', [
      { field: 'source', reason: `must be the caller's organisation ${caller.organisation}` },
    ]);
  }
  return { envelope, definition, hash: contentHash(envelope) };
}

/**
 * The envelope and its record are checked against their JSON Schemas (schemas/envelope and the schema its
 * dataschema names), the one source of their shape; here only what no schema can say: that the type is one
 * this agency records, from one of its organisations, and that the sender set nothing only the hub sets.
 */
function validateEnvelope(
  body: unknown,
  catalogue: AgencyCatalogue,
  types: ReadonlyMap<string, EventTypeDefinition>,
  schemas: SchemaRegistry,
): { envelope: JigsawEnvelope; definition: EventTypeDefinition } {
  const cloudEvent = (typeof body === 'object' && body !== null ? body : {}) as JigsawCloudEvent;
  const candidate = fromCloudEvent(cloudEvent);
  const definition = typeof candidate.type === 'string' ? types.get(candidate.type) : undefined;
  const typeProblems =
    !definition && typeof candidate.type === 'string'
      ? [
          {
            field: 'type',
            reason: `is not an event type ${catalogue.agency} can record: ${candidate.type}`,
          },
        ]
      : [];
  const sourceProblems =
    typeof candidate.source === 'string' && agencyOfSource(candidate.source) !== catalogue.agency
      ? [
          {
            field: 'source',
            reason: `must be a ${catalogue.agency} organisation (urn:jigsaw:org:${catalogue.agency}:<code>)`,
          },
        ]
      : [];
  const problems = mergeProblems(
    envelopeV1Problems(cloudEvent),
    typeProblems,
    sourceProblems,
    hubOnlyProblems(cloudEvent),
    referenceProblems(candidate),
    schemas.validateEnvelope(body),
  );
  if (problems.length > 0 || !definition) throw validationFailed(problems);
  return { envelope: candidate, definition };
}

/** What the hub sets on the events it stores (the envelope's schema describes them too): never a sender. */
function hubOnlyProblems(event: JigsawCloudEvent): FieldProblem[] {
  const data: unknown = event.data;
  return [
    ...(['childid', 'recordedtime'] as const).filter((attribute) => attribute in event),
    ...(typeof data === 'object' && data !== null && 'personaldata' in data ? ['data.personaldata'] : []),
  ].map((field) => ({ field, reason: 'is set by the hub, never by a sender' }));
}

const renamed = (problems: readonly FieldProblem[]): FieldProblem[] =>
  problems.map((p) => ({ field: cloudEventField(p.field), reason: p.reason }));

/** Runs a rule written against the hub's envelope, naming what it refuses as the CloudEvent does. */
export function inCloudEventTerms<T>(rule: () => T): T {
  try {
    return rule();
  } catch (error) {
    if (!(error instanceof JigsawError)) throw error;
    throw new JigsawError(error.code, error.message, renamed(error.problems));
  }
}

/** Envelope v1 put the child and the sharing decision in attributes; say where they go now. */
function envelopeV1Problems(event: object): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if ('sharing' in event) {
    problems.push({
      field: 'sharing',
      reason: 'is not a CloudEvents attribute: the sharing decision goes in data.sharing',
    });
  }
  if ('subject' in event && typeof event.subject === 'object') {
    problems.push({
      field: 'subject',
      reason: "must be a string (the sender's reference for the record): the child goes in data.child",
    });
  }
  return problems;
}

const comparable = (value: string): string => value.replace(/[\s-]/g, '').toLowerCase();

/** `subject` is an attribute anyone routing the event can read: it must not name the child. */
function referenceProblems({ reference, subject }: JigsawEnvelope): FieldProblem[] {
  if (typeof reference !== 'string' || typeof subject !== 'object' || subject === null) return [];
  const personal = [
    subject.nhsNumber,
    subject.upn,
    subject.name?.given,
    subject.name?.family,
    subject.birthDate,
    subject.postcode,
    ...(subject.localIds ?? []).map((id) => id.value),
  ].filter((value): value is string => typeof value === 'string' && comparable(value).length >= 3);
  const ref = comparable(reference);
  return personal.some((value) => ref.includes(comparable(value)))
    ? [
        {
          field: 'subject',
          reason: "must not hold the child's personal data (identifiers, name, birth date, postcode)",
        },
      ]
    : [];
}
