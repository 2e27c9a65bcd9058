import { randomBytes } from 'node:crypto';
import type { PoolClient } from '@jigsaw/database';
import type { RecordedEvent } from '@jigsaw/envelope';
import { PersonalDataVault } from '@jigsaw/erasure';
import {
  PostgresEventStore,
  type AppendOptions,
  type AppendResult,
  type StoredEvent,
} from '@jigsaw/event-store';
import {
  IdentityMovedError,
  IdentityRegistry,
  type ChildIdentifiers,
  type IdentityPlan,
} from '@jigsaw/identity';
import type { TestDatabase } from './test-database.js';

/**
 * The real store, holding its first `together` stream reads until all of them have read: that many
 * writers decide on the same version and race to append. Counts the reads and appends.
 */
export class RacingStore extends PostgresEventStore {
  reads = 0;
  appends = 0;
  private waiting: (() => void)[] = [];

  constructor(
    db: TestDatabase,
    private readonly together: number,
  ) {
    super(db.pool);
  }

  override async readStream(streamId: string): Promise<StoredEvent[]> {
    const read = await super.readStream(streamId);
    if (++this.reads <= this.together) {
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve);
        if (this.waiting.length === this.together) for (const go of this.waiting) go();
      });
    }
    return read;
  }

  override append(
    streamId: string,
    events: readonly RecordedEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    this.appends++;
    return super.append(streamId, events, options);
  }
}

/** The real registry, counting the registrations that found the child moved since it was planned. */
export class MoveCountingRegistry extends IdentityRegistry {
  moved = 0;

  override registration(
    plan: IdentityPlan,
    agency: string,
    subject: ChildIdentifiers,
    eventType?: string,
  ): { before?: (tx: PoolClient) => Promise<void> } {
    const { before } = super.registration(plan, agency, subject, eventType);
    if (!before) return {};
    return {
      before: async (tx) => {
        try {
          await before(tx);
        } catch (error) {
          if (error instanceof IdentityMovedError) this.moved++;
          throw error;
        }
      },
    };
  }
}

const MASTER_KEY = randomBytes(32).toString('base64');

/** What an agency's ingest writes through on the test database, its first `together` stream reads racing. */
export function racingWriters(
  db: TestDatabase,
  together: number,
): { store: RacingStore; identity: MoveCountingRegistry; vault: PersonalDataVault } {
  return {
    store: new RacingStore(db, together),
    identity: new MoveCountingRegistry(db.pool, 'racing-writers-test-secret'),
    vault: new PersonalDataVault(db.pool, { masterKey: MASTER_KEY }),
  };
}
