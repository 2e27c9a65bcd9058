import type { PoolClient } from '@jigsaw/database';
import type { RecordedEvent } from '@jigsaw/envelope';
import type { PersonalDataVault } from '@jigsaw/erasure';
import { retryOnRace, type EventStore, type RacePolicy } from '@jigsaw/event-store';
import {
  IdentityMovedError,
  type IdentityPlan,
  type IdentityRegistry,
  type Sighting,
} from '@jigsaw/identity';
import { foldAgencyState, type AgencyState } from './agency-state.js';

export function streamIdOf(agency: string, childId: string): string {
  return `${agency}-${childId}`;
}

/**
 * The event store's races, and ingest's own: registering a sighting found its identifiers linked meanwhile
 * to another child than planned, so the child, and with it the stream, is planned again.
 */
export const INGEST_RACES: RacePolicy = { races: (error) => error instanceof IdentityMovedError };

/** One child's stream at an agency as one attempt of a command read it, and where each sighting files. */
export interface ChildStream {
  childId: string;
  streamId: string;
  sightings: readonly Sighting[];
  /** Each sighting's plan, in order; the stream is the first's child's. */
  plans: readonly IdentityPlan[];
  /** How many events the stream held: the version the decided events are appended at. */
  version: number;
  state: AgencyState;
}

/**
 * An agency's ingest writes through this: an attempt plans the child (which picks the stream), reads and
 * folds it, decides, and appends at the version read with the identity links, all under the one retry
 * policy (`record`), so a writer that got in between makes the whole attempt run again.
 */
export class ChildStreams {
  constructor(
    private readonly store: EventStore,
    private readonly identity: IdentityRegistry,
    private readonly vault: PersonalDataVault,
    readonly agency: string,
  ) {}

  /** Runs an attempt until it gets through, is refused, or has lost COMMAND_ATTEMPTS races. */
  record<T>(attempt: (n: number) => Promise<T>): Promise<T> {
    return retryOnRace(attempt, INGEST_RACES);
  }

  /**
   * Plans where each sighting files, reading the registry only (a child new to the hub is planned once:
   * later sightings that name no other file under the first's new id), and reads the first's stream.
   */
  async read(sightings: readonly Sighting[]): Promise<ChildStream> {
    const plans: IdentityPlan[] = [];
    for (const { subject, eventType } of sightings) {
      plans.push(await this.identity.plan(this.agency, subject, eventType, plans[0]?.childId));
    }
    const childId = plans[0]!.childId;
    const streamId = streamIdOf(this.agency, childId);
    const history = (await this.store.readStream(streamId)).map((e) => e.event);
    return { childId, streamId, sightings, plans, version: history.length, state: foldAgencyState(history) };
  }

  /**
   * Appends events decided on `child` at the version read, sealed with the child's key (the content hashes
   * stay the plaintext's), with every sighting's identity registered as planned in the same transaction:
   * all of it or nothing.
   */
  async append(child: ChildStream, events: RecordedEvent[], contentHashes: string[]): Promise<void> {
    const registrations = child.plans.flatMap((plan, i) => {
      const { subject, eventType } = child.sightings[i]!;
      const { before } = this.identity.registration(plan, this.agency, subject, eventType);
      return before ? [before] : [];
    });
    await this.store.append(child.streamId, await this.vault.sealAll(events, child.childId), {
      expectedVersion: child.version === 0 ? 'no-stream' : child.version,
      contentHashes,
      ...(registrations.length > 0
        ? {
            before: async (tx: PoolClient) => {
              for (const register of registrations) await register(tx);
            },
          }
        : {}),
    });
  }
}
