import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ErrorCode, JigsawError, type FieldProblem } from '@jigsaw/errors';
import {
  agencyOfSource,
  contentHash,
  envelopeField,
  SchemaRegistry,
  toCloudEvent,
  type RecordedEvent,
} from '@jigsaw/envelope';
import { PersonalDataVault } from '@jigsaw/erasure';
import type { EventStore } from '@jigsaw/event-store';
import { mergeProblems } from '@jigsaw/http';
import { IdentityRegistry } from '@jigsaw/identity';
import {
  ChildStreams,
  decide,
  foldAgencyState,
  type AgencyCallerIdentity,
  type EventTypeDefinition,
} from '@jigsaw/ingest';
import { EVENT_STORE } from '@jigsaw/platform';
import { councilCatalogue } from '../council.catalogue.js';
import { inRecordTerms, type PlannedEvent } from './cin-census.record.js';

export interface CinEventOutcome {
  type: string;
  id: string;
  status: 'accepted' | 'duplicate';
}

export type CinRecordOutcome =
  | { status: 'accepted' | 'duplicate'; events: CinEventOutcome[] }
  | { status: 'rejected'; code: string; errors: FieldProblem[] };

/** Records all the events of one census record in one transaction, or none of them. */
export class RecordCinRecord extends Command<CinRecordOutcome> {
  constructor(
    readonly events: readonly PlannedEvent[],
    readonly now: Date,
    readonly caller?: AgencyCallerIdentity,
  ) {
    super();
  }
}

const rejected = (code: string, errors: FieldProblem[]): CinRecordOutcome => ({
  status: 'rejected',
  code,
  errors,
});

/**
 * A census record is one fact about a child's episode told as several events (referral, decision,
 * assessment, plans). Half of it would tell a false story (a plan ended that never started), so the
 * record is all or nothing: every event is validated first, then the new ones are appended together.
 * Events already stored with the same content are duplicates, so a record re-sent with a new end date
 * records just the end.
 */
@CommandHandler(RecordCinRecord)
export class RecordCinRecordHandler implements ICommandHandler<RecordCinRecord, CinRecordOutcome> {
  private readonly types = new Map<string, EventTypeDefinition>(
    councilCatalogue.types.map((t) => [t.type, t]),
  );

  private readonly children: ChildStreams;

  constructor(
    private readonly schemas: SchemaRegistry,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    identity: IdentityRegistry,
    vault: PersonalDataVault,
  ) {
    this.children = new ChildStreams(store, identity, vault, 'council');
  }

  async execute({ events, now, caller }: RecordCinRecord): Promise<CinRecordOutcome> {
    const first = events[0];
    if (!first) return { status: 'duplicate', events: [] };
    if (caller && caller.organisation !== first.envelope.source) {
      return rejected(ErrorCode.Forbidden, [
        { field: 'source', reason: `must be the caller's organisation ${caller.organisation}` },
      ]);
    }
    const shapeProblems = events.flatMap((e) => this.shapeProblems(e));
    if (shapeProblems.length > 0) return rejected(ErrorCode.ValidationFailed, shapeProblems);

    const hashes = events.map((e) => contentHash(e.envelope));
    // A concurrent write to the same child, or the same record racing in twice, runs the attempt again.
    return this.children.record(async (): Promise<CinRecordOutcome> => {
      const fresh: number[] = [];
      const conflicts: FieldProblem[] = [];
      for (const [i, planned] of events.entries()) {
        const stored = await this.store.findEvent(planned.envelope.source, planned.envelope.id);
        if (!stored) fresh.push(i);
        else if (stored.contentHash !== hashes[i]) {
          conflicts.push({
            field: planned.fields['time'] ?? 'id',
            reason: `was already recorded as ${planned.envelope.type} with different content; send a council.record-corrected event to change it`,
          });
        }
      }
      if (conflicts.length > 0) return rejected(ErrorCode.DuplicateEventConflict, conflicts);
      const outcomes = (status: (i: number) => CinEventOutcome['status']): CinEventOutcome[] =>
        events.map((e, i) => ({ type: e.envelope.type, id: e.envelope.id, status: status(i) }));
      if (fresh.length === 0) return { status: 'duplicate', events: outcomes(() => 'duplicate') };

      // Every rule runs before anything is written: the plan only reads the registry.
      const child = await this.children.read([{ subject: first.envelope.subject }]);
      const { childId } = child;
      let { state } = child;
      const toAppend: RecordedEvent[] = [];
      const ruleProblems: FieldProblem[] = [];
      for (const i of fresh) {
        const planned = events[i]!;
        try {
          const decided = decide(planned.envelope, this.types.get(planned.envelope.type)!, {
            now,
            childId,
            state,
          });
          state = foldAgencyState(decided, state);
          toAppend.push(...decided);
        } catch (error) {
          if (!(error instanceof JigsawError)) throw error;
          ruleProblems.push(...inRecordTerms(error.problems, planned.fields));
          // Later events are still judged as if this one stood, so every broken rule is named at once.
          state = foldAgencyState(
            [{ ...planned.envelope, childid: childId, recordedtime: now.toISOString() }],
            state,
          );
        }
      }
      if (ruleProblems.length > 0) return rejected(ErrorCode.ValidationFailed, ruleProblems);
      await this.children.append(
        child,
        toAppend,
        fresh.map((i) => hashes[i]!),
      );
      const added = new Set(fresh);
      return { status: 'accepted', events: outcomes((i) => (added.has(i) ? 'accepted' : 'duplicate')) };
    });
  }

  /** What POST /v1/events would say of the envelope's shape (its schemas'), in the record's terms. */
  private shapeProblems({ envelope, fields }: PlannedEvent): FieldProblem[] {
    const sourceProblems =
      agencyOfSource(envelope.source) === 'council'
        ? []
        : [{ field: 'source', reason: 'must be a council organisation (urn:jigsaw:org:council:<code>)' }];
    const problems = mergeProblems(
      sourceProblems,
      this.schemas
        .validateEnvelope(toCloudEvent(envelope))
        .map((p) => ({ field: envelopeField(p.field), reason: p.reason })),
    );
    return inRecordTerms(problems, fields);
  }
}
