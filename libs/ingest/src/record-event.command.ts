import { Inject } from '@nestjs/common';
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
} from '@jigsaw/envelope';
import { PersonalDataVault } from '@jigsaw/erasure';
import { DuplicateEventError, StreamVersionConflictError, type EventStore } from '@jigsaw/event-store';
import { mergeProblems, validateDto, validationFailed } from '@jigsaw/http';
import { IdentityMovedError, IdentityRegistry } from '@jigsaw/identity';
import { EVENT_STORE } from '@jigsaw/platform';
import { Traced } from '@jigsaw/telemetry';
import type { AgencyCallerIdentity } from './caller.js';
import { decide } from './decide.js';
import { EnvelopeDto } from './envelope.dto.js';
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

export function streamIdOf(agency: string, childId: string): string {
  return `${agency}-${childId}`;
}

/**
 * Writers racing on one child's stream: each round one wins and the others read again. Without a pause
 * they collide again at once, so each waits a random while, longer each time (full jitter), before it
 * reads again; a burst of requests for one child then all get through.
 */
const MAX_ATTEMPTS = 12;
const backoff = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** attempt)));

@CommandHandler(RecordEvent)
export class RecordEventHandler implements ICommandHandler<RecordEvent, RecordEventResult> {
  private readonly types: Map<string, EventTypeDefinition>;

  constructor(
    @Inject(AGENCY_CATALOGUE) private readonly catalogue: AgencyCatalogue,
    private readonly schemas: SchemaRegistry,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly identity: IdentityRegistry,
    private readonly vault: PersonalDataVault,
  ) {
    this.types = new Map(catalogue.types.map((t) => [t.type, t]));
  }

  @Traced('command RecordEvent')
  async execute({ body, now, caller }: RecordEvent): Promise<RecordEventResult> {
    const { envelope, definition } = await this.validate(body);
    if (caller && caller.organisation !== envelope.source) {
      throw new JigsawError(
        ErrorCode.Forbidden,
        'an agency system may publish only as its own organisation',
        [{ field: 'source', reason: `must be the caller's organisation ${caller.organisation}` }],
      );
    }
    const hash = contentHash(envelope);
    const { agency } = this.catalogue;
    for (let attempt = 1; ; attempt++) {
      // Every rule runs before anything is written: the plan only reads the registry.
      const plan = await this.identity.plan(agency, envelope.subject, envelope.type);
      const { childId } = plan;
      const streamId = streamIdOf(agency, childId);
      const history = await this.store.readStream(streamId);
      const events = inCloudEventTerms(() =>
        decide(envelope, definition, { now, childId, history: history.map((e) => e.event) }),
      );
      try {
        // Personal data is stored sealed with the child's key; the content hash stays the plaintext's.
        // Identity links and evidence commit with the event or not at all.
        await this.store.append(streamId, await this.vault.sealAll(events, childId), {
          expectedVersion: history.length === 0 ? 'no-stream' : history.length,
          contentHashes: [hash],
          ...this.identity.registration(plan, agency, envelope.subject, envelope.type),
        });
        return { id: envelope.id, status: 'accepted' };
      } catch (error) {
        // Resent events are rare, so the store's unique (source, id) finds them, not a read before each write.
        if (error instanceof DuplicateEventError) {
          const stored = await this.store.findEvent(envelope.source, envelope.id);
          if (stored?.contentHash === hash) return { id: envelope.id, status: 'duplicate' };
          if (stored) {
            throw new JigsawError(
              ErrorCode.DuplicateEventConflict,
              `an event with id ${envelope.id} was already received from this source with different content`,
              [{ field: 'id', reason: 'was already used for different content' }],
            );
          }
        }
        // A concurrent write to the same child, or to its identifiers: look again.
        const retry =
          error instanceof StreamVersionConflictError ||
          error instanceof DuplicateEventError ||
          error instanceof IdentityMovedError;
        if (!retry || attempt >= MAX_ATTEMPTS) throw error;
        await backoff(attempt);
      }
    }
  }

  private async validate(
    body: unknown,
  ): Promise<{ envelope: JigsawEnvelope; definition: EventTypeDefinition }> {
    const cloudEvent = (typeof body === 'object' && body !== null ? body : {}) as JigsawCloudEvent;
    const candidate = fromCloudEvent(cloudEvent);
    const schemaProblems = [...envelopeV1Problems(cloudEvent), ...this.schemas.validateEnvelope(body)];
    const envelopeProblems = renamed(await validateDto(EnvelopeDto, candidate));
    const definition = typeof candidate.type === 'string' ? this.types.get(candidate.type) : undefined;
    const typeProblems = definition
      ? await validateDto(definition.dataDto, candidate.data, 'data.record')
      : typeof candidate.type === 'string'
        ? [
            {
              field: 'type',
              reason: `is not an event type ${this.catalogue.agency} can record: ${candidate.type}`,
            },
          ]
        : [];
    const sourceProblems =
      typeof candidate.source === 'string' && agencyOfSource(candidate.source) !== this.catalogue.agency
        ? [
            {
              field: 'source',
              reason: `must be a ${this.catalogue.agency} organisation (urn:jigsaw:org:${this.catalogue.agency}:<code>)`,
            },
          ]
        : [];
    // A missing field reads best as the schema says it ("is required"); otherwise the DTO's wording is clearer.
    const missing = schemaProblems.filter((p) => p.reason === 'is required');
    const problems = mergeProblems(
      missing,
      typeProblems,
      sourceProblems,
      referenceProblems(candidate),
      envelopeProblems,
      schemaProblems,
    );
    if (problems.length > 0 || !definition) throw validationFailed(problems);
    return { envelope: candidate, definition };
  }
}

const renamed = (problems: readonly FieldProblem[]): FieldProblem[] =>
  problems.map((p) => ({ field: cloudEventField(p.field), reason: p.reason }));

/** Runs a rule written against the hub's envelope, naming what it refuses as the CloudEvent does. */
function inCloudEventTerms<T>(rule: () => T): T {
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
