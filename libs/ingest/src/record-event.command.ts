import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import { agencyOfSource, contentHash, SchemaRegistry, type JigsawEnvelope } from '@jigsaw/envelope';
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
      const events = decide(envelope, definition, { now, childId, history: history.map((e) => e.event) });
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
    const envelopeProblems = await validateDto(EnvelopeDto, body);
    const schemaProblems = this.schemas.validateEnvelope(body);
    const candidate = (typeof body === 'object' && body !== null ? body : {}) as Partial<JigsawEnvelope>;
    const definition = typeof candidate.type === 'string' ? this.types.get(candidate.type) : undefined;
    const typeProblems = definition
      ? await validateDto(definition.dataDto, candidate.data, 'data')
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
    const problems = mergeProblems(missing, typeProblems, sourceProblems, envelopeProblems, schemaProblems);
    if (problems.length > 0 || !definition) throw validationFailed(problems);
    return { envelope: body as JigsawEnvelope, definition };
  }
}
