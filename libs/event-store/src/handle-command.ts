import type { PoolClient } from '@jigsaw/database';
import type { RecordedEvent } from '@jigsaw/envelope';
import type { EventStore, StoredEvent } from './event-store.js';
import { retryOnRace, type RacePolicy } from './retry-on-race.js';

/** What a decider decided: its events, with an outcome besides them where the command has one. */
export type Decision<E, R> = readonly E[] | { readonly events: readonly E[]; readonly result: R };

/** One stream's rules: state folded from its events, and the events a command makes (or throws to refuse). */
export interface Decider<S, C, E, R = undefined> {
  initialState: S;
  evolve: (state: S, event: E) => S;
  decide: (state: S, command: C) => Decision<E, R>;
}

export interface HandleCommandOptions<E> extends RacePolicy {
  /** The decider's event for a stored one, or undefined to leave it out of the fold (default: every event). */
  eventOf?: (stored: StoredEvent) => E | undefined;
  /** Work that commits with the append or not at all (a read model projected from the decided events). */
  before?: (tx: PoolClient, events: readonly E[]) => Promise<void>;
}

export interface CommandOutcome<S, E, R> {
  /** What was appended: none when the decider decided nothing. */
  events: readonly E[];
  /** The stream's state after them. */
  state: S;
  result: R;
}

/**
 * Loads a stream, decides, and appends what was decided at the version read, so a decision is only ever
 * recorded on the state it was made from. Another writer getting in between (a version conflict, or the
 * same event id stored meanwhile) makes it read and decide again, as retryOnRace does (options.attempts,
 * COMMAND_ATTEMPTS by default); a refusal (`decide` throwing) writes nothing and is never retried.
 */
export async function handleCommand<S, C, E extends RecordedEvent, R = undefined>(
  store: EventStore,
  streamId: string,
  decider: Decider<S, C, E, R>,
  command: C,
  options: HandleCommandOptions<E> = {},
): Promise<CommandOutcome<S, E, R>> {
  const eventOf = options.eventOf ?? ((stored: StoredEvent) => stored.event as E);
  return retryOnRace(async () => {
    const stored = await store.readStream(streamId);
    const state = stored.reduce((s, e) => {
      const event = eventOf(e);
      return event === undefined ? s : decider.evolve(s, event);
    }, decider.initialState);
    const decision = decider.decide(state, command);
    const { events, result } = Array.isArray(decision)
      ? { events: decision as readonly E[], result: undefined as R }
      : (decision as { events: readonly E[]; result: R });
    if (events.length === 0) return { events, state, result };
    const before = options.before;
    await store.append(streamId, events, {
      expectedVersion: stored.length === 0 ? 'no-stream' : stored.length,
      ...(before ? { before: (tx: PoolClient) => before(tx, events) } : {}),
    });
    return { events, state: events.reduce(decider.evolve, state), result };
  }, options);
}
