import type { Pool } from '@jigsaw/database';
import type { RecordedEvent } from '@jigsaw/envelope';
import { ErrorCode, JigsawError, type FieldProblem } from '@jigsaw/errors';
import { DuplicateEventError, PostgresEventStore, type EventStore } from '@jigsaw/event-store';
import { childErased, erasureStreamOf, isChildErased, type ErasureActor } from './child-erased.event.js';
import { ChildKeys } from './child-keys.js';
import { masterKeyFrom, PersonalDataUnreadableError } from './personal-data-crypto.js';
import {
  erasePersonalData,
  isSealed,
  keyIdOf,
  openWith,
  parseKeyId,
  sealWith,
  type ProtectedEvent,
} from './personal-data.js';

export interface PersonalDataVaultOptions {
  /** ENCRYPTION_MASTER_KEY: 32 bytes, base64. */
  masterKey: string;
  /** Where hub.child-erased is published (`erasureTopic(prefix)`); without it, it is only stored. */
  erasureTopic?: string;
  /**
   * The store hub.child-erased is recorded in, routed to the erasure topic (the configured store, e.g. on
   * KurrentDB). By default the PostgreSQL store over `pool`, with its outbox routed to `erasureTopic`.
   */
  store?: EventStore;
  /**
   * How long a usable key is trusted from memory. A key destroyed by another process is still used here
   * for at most this long (the consumer forgets at once on hub.child-erased). Default one minute.
   */
  cacheTtlMs?: number;
  maxCachedKeys?: number;
}

/** What an erasure did: `recorded` is false when the same erasure was already on record. */
export interface ChildErasure {
  childId: string;
  /** Every data key generation the child has had, all destroyed now. */
  keyGenerations: number[];
  /** Those destroyed by this call (empty when they were already gone). */
  destroyedNow: number[];
  eventId: string;
  recorded: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Cached<T> {
  value: T;
  expires: number;
}

/** A small LRU map whose entries expire. */
class KeyCache<T> {
  private readonly entries = new Map<string, Cached<T>>();

  constructor(private readonly max: number) {}

  get(key: string, now: number): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= now) {
      this.entries.delete(key);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: T, expires: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expires });
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }

  deleteWhere(test: (key: string) => boolean): void {
    for (const key of [...this.entries.keys()]) if (test(key)) this.entries.delete(key);
  }
}

/**
 * Seals each child's personal data with that child's own key before it is stored, opens it for readers, and
 * erases a child by destroying their keys: every copy (store, Kafka, any rebuild) becomes unreadable at once,
 * while the rest of each event (ids, types, times, sharing, agency, hub child id) stays as the audit record.
 */
export class PersonalDataVault {
  private readonly keys: ChildKeys;
  private readonly ttl: number;
  private readonly sealing: KeyCache<{ kid: string; key: Buffer }>;
  /** By kid; `undefined` value: destroyed, remembered for good. */
  private readonly opening: KeyCache<Buffer | null>;
  private readonly erasures: EventStore;

  constructor(pool: Pool, options: PersonalDataVaultOptions) {
    this.keys = new ChildKeys(pool, masterKeyFrom(options.masterKey));
    this.ttl = options.cacheTtlMs ?? 60_000;
    this.sealing = new KeyCache(options.maxCachedKeys ?? 10_000);
    this.opening = new KeyCache(options.maxCachedKeys ?? 10_000);
    const topic = options.erasureTopic;
    this.erasures =
      options.store ??
      new PostgresEventStore(pool, topic ? { route: (event) => ({ topic, key: event.childid }) } : {});
  }

  /** The event as ingest stores it: its personal fields encrypted under the child's current key. */
  async sealPersonalData(event: RecordedEvent, childId: string): Promise<ProtectedEvent> {
    return (await this.sealAll([event], childId))[0]!;
  }

  async sealAll(events: readonly RecordedEvent[], childId: string): Promise<ProtectedEvent[]> {
    const now = Date.now();
    let current = this.sealing.get(childId, now);
    if (!current) {
      const key = await this.keys.current(childId);
      current = { kid: keyIdOf(childId, key.generation), key: key.key };
      this.sealing.set(childId, current, now + this.ttl);
      this.opening.set(current.kid, key.key, now + this.ttl);
    }
    const { kid, key } = current;
    return events.map((event) => sealWith(event, childId, kid, key));
  }

  /**
   * The event as it was received, or, if its key was destroyed, with its personal fields replaced by a clear
   * erased marker. Events never sealed come back unchanged. Throws PersonalDataUnreadableError when sealed
   * data was altered or its key is missing: it never passes anything off as readable.
   */
  async openPersonalData(event: ProtectedEvent): Promise<ProtectedEvent> {
    return (await this.openAll([event]))[0]!;
  }

  async openAll(events: readonly ProtectedEvent[]): Promise<ProtectedEvent[]> {
    const results = await this.openEach(events);
    const failed = results.find((result) => result instanceof PersonalDataUnreadableError);
    if (failed) throw failed;
    return results as ProtectedEvent[];
  }

  /** As openAll, each event on its own: an unreadable one is answered with its error, the rest opened. */
  async openEach(
    events: readonly ProtectedEvent[],
  ): Promise<(ProtectedEvent | PersonalDataUnreadableError)[]> {
    const now = Date.now();
    const wanted = new Map<string, { childId: string; generation: number }>();
    for (const event of events) {
      if (!isSealed(event)) continue;
      const { kid } = event.personaldata;
      const id = parseKeyId(kid);
      if (id && !wanted.has(kid) && this.opening.get(kid, now) === undefined) wanted.set(kid, id);
    }
    for (const found of await this.keys.find([...wanted.values()])) {
      const kid = keyIdOf(found.childId, found.generation);
      this.opening.set(kid, found.key ?? null, found.key ? now + this.ttl : Number.POSITIVE_INFINITY);
    }
    return events.map((event) => {
      if (!isSealed(event)) return event;
      const { kid } = event.personaldata;
      const key = this.opening.get(kid, now);
      if (key === undefined) {
        return new PersonalDataUnreadableError(
          parseKeyId(kid)
            ? `no data key ${kid} for event ${event.source}#${event.id} in keys.child_keys: the keys were lost, or the event came from another hub`
            : `event ${event.source}#${event.id} names no valid data key`,
        );
      }
      if (key === null) return erasePersonalData(event);
      try {
        return openWith(event, key);
      } catch (error) {
        if (error instanceof PersonalDataUnreadableError) return error;
        throw error;
      }
    });
  }

  /** Drops what this process remembers of the child's keys (a consumer does on hub.child-erased). */
  forget(childId: string): void {
    this.sealing.deleteWhere((key) => key === childId);
    this.opening.deleteWhere((kid) => kid.startsWith(`${childId}/`));
  }

  /** Forgets the keys of every child erased by one of these events; returns those children. */
  noteErasures(events: readonly Pick<RecordedEvent, 'type' | 'source' | 'data'>[]): string[] {
    const erased = events.filter(isChildErased).map((event) => event.data.childId);
    for (const childId of erased) this.forget(childId);
    return erased;
  }

  /**
   * Erases a child's personal data: destroys all their data keys, then records hub.child-erased (published
   * to the hub topic) so every read model removes what it holds. Safe to repeat: a retry after a failure
   * between the two steps records the event once.
   */
  async eraseChild(
    childId: string,
    actor: ErasureActor,
    reason: string,
    now: Date = new Date(),
  ): Promise<ChildErasure> {
    const problems: FieldProblem[] = [];
    if (!UUID.test(childId)) problems.push({ field: 'childId', reason: 'must be a hub child id (a UUID)' });
    if (!reason.trim() || reason.length > 500) {
      problems.push({ field: 'reason', reason: 'must be 1 to 500 characters, with no personal data' });
    }
    for (const field of ['userId', 'role', 'organisation'] as const) {
      if (!actor[field]?.trim()) problems.push({ field: `actor.${field}`, reason: 'is required' });
    }
    if (problems.length > 0)
      throw new JigsawError(ErrorCode.ValidationFailed, 'the erasure is not valid', problems);

    const destroyedNow = await this.keys.destroy(childId);
    this.forget(childId);
    const keyGenerations = await this.keys.generations(childId);
    const event = childErased(childId, keyGenerations, actor, reason, now);
    let recorded = true;
    try {
      await this.erasures.append(erasureStreamOf(childId), [event], { expectedVersion: 'any' });
    } catch (error) {
      if (!(error instanceof DuplicateEventError)) throw error;
      recorded = false;
    }
    return { childId, keyGenerations, destroyedNow, eventId: event.id, recorded };
  }
}

/** `audit erase`: erases one child's personal data (see PersonalDataVault.eraseChild). */
export function eraseChild(
  pool: Pool,
  options: PersonalDataVaultOptions,
  childId: string,
  actor: ErasureActor,
  reason: string,
): Promise<ChildErasure> {
  return new PersonalDataVault(pool, options).eraseChild(childId, actor, reason);
}
