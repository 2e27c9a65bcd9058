import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { JigsawError, type FieldProblem } from '@jigsaw/errors';
import type { ChildSubject, RecordedEvent } from '@jigsaw/envelope';
import {
  DuplicateEventError,
  retryOnRace,
  StreamsConflictError,
  type StreamAppend,
} from '@jigsaw/event-store';
import { validationFailed } from '@jigsaw/http';
import { IdentityMovedError, type IdentityPlan, type Sighting } from '@jigsaw/identity';
import { Traced } from '@jigsaw/telemetry';
import { foldAgencyState, type AgencyState } from './agency-state.js';
import type { AgencyCallerIdentity } from './caller.js';
import { streamIdOf } from './child-stream.js';
import { decide } from './decide.js';
import { KeyedLocks } from './keyed-locks.js';
import { idReused, inCloudEventTerms, IngestHandler, type CheckedEnvelope } from './record-event.command.js';

/** One event of a batch: a CloudEvent to record, or the problems that stopped a sender's row being one. */
export type BatchItem = { event: unknown } | { problems: readonly FieldProblem[] };

/** What became of one event of a batch; the same answer as POST /v1/events gives for it alone. */
export type EventOutcome =
  { status: 'accepted' | 'duplicate'; id: string } | { status: 'refused'; error: JigsawError };

/**
 * Records a batch as one set: every event is checked, every (source, id) looked up and every child's
 * identity planned in one query each, the rules run per stream on histories read in one query, and all
 * the new events go to the store in one multi-stream append with their identity links and outbox rows.
 * Each item's outcome, in order; `undefined` where the event must be recorded on its own after this
 * (a writer got to its child's stream or identifiers meanwhile, twice), which keeps it all or nothing per
 * event without one blocking the others.
 */
export class RecordBatch extends Command<(EventOutcome | undefined)[]> {
  constructor(
    readonly items: readonly BatchItem[],
    readonly now: Date,
    readonly caller?: AgencyCallerIdentity,
  ) {
    super();
  }
}

/** The batch's identity registration found these events (batch indexes) would file elsewhere than planned. */
class PlansMovedError extends Error {
  constructor(readonly indexes: readonly number[]) {
    super('identifiers of the batch were linked meanwhile to other children than planned');
  }
}

/** A writer got in the way of the set: nothing was written. */
class SetRacedError extends Error {
  constructor() {
    super('a writer got in the way of the batch: nothing was written');
  }
}

/**
 * How many times the set is tried, under the one retry policy (retryOnRace) but fewer times, as events it
 * gives up on are still recorded one at a time. A first conflict is most often another request naming the
 * same children at the same moment (two batches from one sender), which has committed by then: the whole
 * set is planned and read again. After that, the events a writer got in the way of are left out.
 */
const SET_ATTEMPTS = 4;
const SET_RACES = { attempts: SET_ATTEMPTS, races: (error: unknown) => error instanceof SetRacedError };

const keyOf = (e: { source: string; id: string }): string => `${e.source}\u0000${e.id}`;

/** PostgreSQL's deadlock and serialisation failures: the set gives way, and its events go one at a time. */
const isContention = (error: unknown): boolean =>
  ['40P01', '40001'].includes((error as { code?: string } | undefined)?.code ?? '');

interface Fresh {
  index: number;
  entry: CheckedEnvelope;
}

/**
 * The identifiers a record names its child by, as keys held in memory only while its batch is decided
 * and appended: never logged or sent anywhere.
 */
function childKeys(subject: ChildSubject): string[] {
  return [
    ...(subject.nhsNumber ? [`nhs\u0000${subject.nhsNumber}`] : []),
    ...(subject.upn ? [`upn\u0000${subject.upn}`] : []),
    ...(subject.localIds ?? []).map((l) => `local\u0000${l.system}\u0000${l.value}`),
  ];
}

@CommandHandler(RecordBatch)
export class RecordBatchHandler
  extends IngestHandler
  implements ICommandHandler<RecordBatch, (EventOutcome | undefined)[]>
{
  /** The children batches in this process are deciding: one batch at a time for each. */
  private readonly deciding = new KeyedLocks();

  @Traced('command RecordBatch')
  async execute({ items, now, caller }: RecordBatch): Promise<(EventOutcome | undefined)[]> {
    const outcomes: (EventOutcome | undefined)[] = Array.from({ length: items.length }, () => undefined);
    const { store } = this;
    // A store that cannot append many streams at once (KurrentDB) records each event on its own.
    if (!store.appendMany || !store.findEvents || !store.readStreams) return outcomes;
    const checked: Fresh[] = [];
    for (const [index, item] of items.entries()) {
      if ('problems' in item) {
        outcomes[index] = { status: 'refused', error: validationFailed(item.problems) };
        continue;
      }
      try {
        checked.push({ index, entry: await this.check(item.event, caller) });
      } catch (error) {
        if (!(error instanceof JigsawError)) throw error;
        outcomes[index] = { status: 'refused', error };
      }
    }
    if (checked.length === 0) return outcomes;

    // An id already stored is a duplicate, or a conflict if its content differs, as it is one at a time.
    const stored = new Map(
      (await store.findEvents(checked.map(({ entry }) => entry.envelope))).map((e) => [
        keyOf(e),
        e.contentHash,
      ]),
    );
    const fresh: Fresh[] = [];
    for (const item of checked) {
      const { envelope, hash } = item.entry;
      const storedHash = stored.get(keyOf(envelope));
      if (storedHash === undefined) fresh.push(item);
      else {
        outcomes[item.index] =
          storedHash === hash
            ? { status: 'duplicate', id: envelope.id }
            : { status: 'refused', error: idReused(envelope.id) };
      }
    }

    const excluded = new Set<number>();
    try {
      // Batches in this process that name a child in common take turns, rather than race and redo the set.
      const decided = await this.deciding.hold(
        fresh.flatMap(({ entry }) => childKeys(entry.envelope.subject)),
        () =>
          retryOnRace(async (attempt) => {
            const tried = await this.attempt(fresh, excluded, now);
            if (tried.done) return tried.outcomes;
            if (attempt > 1) for (const index of tried.exclude) excluded.add(index);
            throw new SetRacedError();
          }, SET_RACES),
      );
      for (const [index, outcome] of decided) outcomes[index] = outcome;
    } catch (error) {
      // Left undecided after the last attempt, the rest go one at a time.
      if (!(error instanceof SetRacedError)) throw error;
    }
    return outcomes;
  }

  /**
   * One try at the set: plans every fresh event's child, leaves out the streams of `excluded` events, runs
   * the rules and appends. Done with each outcome, or the events to leave out next time.
   */
  private async attempt(
    fresh: readonly Fresh[],
    excluded: ReadonlySet<number>,
    now: Date,
  ): Promise<
    { done: true; outcomes: Map<number, EventOutcome> } | { done: false; exclude: readonly number[] }
  > {
    const { agency } = this.catalogue;
    const sightingOf = ({ entry }: Fresh): Sighting => ({
      subject: entry.envelope.subject,
      eventType: entry.envelope.type,
    });
    // Every fresh event is planned, left out or not, so that those kept see the children the others name.
    const plans = await this.identity.planAll(agency, fresh.map(sightingOf));
    const streamOf = (i: number): string => streamIdOf(agency, plans[i]!.childId);
    // A stream with an event left out is left out whole, and so is an id sent again in the batch: they keep
    // their order one at a time.
    const closedStreams = new Set<string>();
    const closedKeys = new Set<string>();
    const isClosed = ({ index, entry }: Fresh, i: number): boolean =>
      excluded.has(index) || closedStreams.has(streamOf(i)) || closedKeys.has(keyOf(entry.envelope));
    for (let grown = true; grown;) {
      grown = false;
      for (const [i, item] of fresh.entries()) {
        if (
          !isClosed(item, i) ||
          (closedStreams.has(streamOf(i)) && closedKeys.has(keyOf(item.entry.envelope)))
        )
          continue;
        closedStreams.add(streamOf(i));
        closedKeys.add(keyOf(item.entry.envelope));
        grown = true;
      }
    }
    const kept = fresh.flatMap((item, i) => (isClosed(item, i) ? [] : [{ item, i }]));
    const outcomes = new Map<number, EventOutcome>();
    if (kept.length === 0) return { done: true, outcomes };

    const streamIds = [...new Set(kept.map(({ i }) => streamOf(i)))];
    const histories = await this.store.readStreams!(streamIds);
    const appends = new Map<
      string,
      { childId: string; version: number; events: RecordedEvent[]; hashes: string[]; state: AgencyState }
    >();
    const accepted: { item: Fresh; plan: IdentityPlan }[] = [];
    const recorded = new Map<string, string>();
    for (const { item, i } of kept) {
      const streamId = streamOf(i);
      const plan = plans[i]!;
      let append = appends.get(streamId);
      if (!append) {
        const history = (histories.get(streamId) ?? []).map((e) => e.event);
        append = {
          childId: plan.childId,
          version: history.length,
          events: history,
          hashes: [],
          state: foldAgencyState(history),
        };
        appends.set(streamId, append);
      }
      const { envelope, definition, hash } = item.entry;
      // An id the batch has already recorded: a duplicate, or a conflict, as when sent again on its own.
      const earlier = recorded.get(keyOf(envelope));
      if (earlier !== undefined) {
        outcomes.set(
          item.index,
          earlier === hash
            ? { status: 'duplicate', id: envelope.id }
            : { status: 'refused', error: idReused(envelope.id) },
        );
        continue;
      }
      try {
        // The rules see the stream's history and the batch's events before this one, as one at a time.
        const decided = inCloudEventTerms(() =>
          decide(envelope, definition, { now, childId: plan.childId, state: append.state }),
        );
        append.state = foldAgencyState(decided, append.state);
        append.events = [...append.events, ...decided];
        append.hashes.push(...decided.map(() => hash));
        accepted.push({ item, plan });
        recorded.set(keyOf(envelope), hash);
        outcomes.set(item.index, { status: 'accepted', id: envelope.id });
      } catch (error) {
        if (!(error instanceof JigsawError)) throw error;
        outcomes.set(item.index, { status: 'refused', error });
      }
    }
    const writes = [...appends].filter(([, a]) => a.hashes.length > 0);
    if (writes.length === 0) return { done: true, outcomes };
    const sealed: StreamAppend[] = await Promise.all(
      writes.map(async ([streamId, a]) => ({
        streamId,
        events: await this.vault.sealAll(a.events.slice(a.version), a.childId),
        expectedVersion: a.version === 0 ? ('no-stream' as const) : a.version,
        contentHashes: a.hashes,
      })),
    );
    const streamsOf = (indexes: readonly number[]): number[] => {
      const streams = new Set(
        fresh.flatMap(({ index }, i) => (indexes.includes(index) ? [streamOf(i)] : [])),
      );
      return kept.flatMap(({ item, i }) => (streams.has(streamOf(i)) ? [item.index] : []));
    };
    try {
      // Identity is registered in the append's transaction, every event as planned, or nothing is written.
      // A plan that writes nothing may be trusted without it, as one at a time.
      const register = plans.some((p) => p.writes);
      await this.store.appendMany!(sealed, {
        ...(register
          ? {
              before: async (tx) => {
                const moved = await this.identity.registerAll(
                  tx,
                  agency,
                  accepted.map(({ item }) => sightingOf(item)),
                  accepted.map(({ plan }) => plan.childId),
                );
                if (moved.length > 0) throw new PlansMovedError(moved.map((j) => accepted[j]!.item.index));
              },
            }
          : {}),
      });
      return { done: true, outcomes };
    } catch (error) {
      if (error instanceof StreamsConflictError) {
        const conflicted = new Set(error.streamIds);
        return {
          done: false,
          exclude: kept.flatMap(({ item, i }) => (conflicted.has(streamOf(i)) ? [item.index] : [])),
        };
      }
      if (error instanceof PlansMovedError) return { done: false, exclude: streamsOf(error.indexes) };
      if (error instanceof DuplicateEventError) {
        const duplicate = kept.find(
          ({ item }) => keyOf(item.entry.envelope) === keyOf({ source: error.source, id: error.id }),
        );
        return {
          done: false,
          exclude: duplicate ? streamsOf([duplicate.item.index]) : fresh.map((f) => f.index),
        };
      }
      if (isContention(error) || error instanceof IdentityMovedError) {
        return { done: false, exclude: fresh.map((f) => f.index) };
      }
      throw error;
    }
  }
}
