import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { contentHash, type RecordedEvent } from '@jigsaw/envelope';
import { ErrorCode } from '@jigsaw/errors';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore, verifyIntegrity } from '@jigsaw/event-store';
import { aRecordedEvent, createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import { CHILD_ERASED, erasureStreamOf } from './child-erased.event.js';
import { OpeningEventStore } from './opening-event-store.js';
import { PersonalDataUnreadableError } from './personal-data-crypto.js';
import { ERASED_MARKER, isErased, type ProtectedEvent } from './personal-data.js';
import { eraseChild, PersonalDataVault } from './personal-data-vault.js';

const MASTER_KEY = randomBytes(32).toString('base64');
const DPO = {
  userId: 'dpo-1',
  role: 'data-protection-officer',
  organisation: 'urn:jigsaw:org:council:camden',
};

describe('personal data vault on PostgreSQL', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let vault: PersonalDataVault;

  beforeAll(async () => {
    db = await createTestDatabase([EVENT_STORE_MIGRATIONS]);
    store = new PostgresEventStore(db.pool);
    vault = new PersonalDataVault(db.pool, { masterKey: MASTER_KEY });
  });
  afterAll(async () => db?.drop());

  /** A child's events as ingest stores them: sealed, with the hash of the plaintext for idempotency. */
  async function record(childId: string, count = 2): Promise<RecordedEvent[]> {
    const events = Array.from({ length: count }, () => aRecordedEvent({ childid: childId }));
    await store.append(`police-${childId}`, await vault.sealAll(events, childId), {
      expectedVersion: 'any',
      contentHashes: events.map((e) => contentHash(e)),
    });
    return events;
  }

  const storedText = async (childId: string): Promise<string> =>
    (
      await db.pool.query<{ payload: string }>(
        'SELECT payload::text FROM event_store.events WHERE stream_id = $1',
        [`police-${childId}`],
      )
    ).rows
      .map((r) => r.payload)
      .join('\n');

  it('stores each child sealed under a key of its own, wrapped, and reads it back as received', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const eventsA = await record(a);
    const eventsB = await record(b);
    const text = await storedText(a);
    for (const event of eventsA) {
      const data = event.data as { summary: string; narrative: string };
      expect(text).not.toContain(event.subject.nhsNumber);
      expect(text).not.toContain(data.summary);
      expect(text).not.toContain(data.narrative);
    }
    const keys = await db.pool.query<{ child_id: string; generation: number; wrapped_key: Buffer }>(
      'SELECT child_id::text, generation, wrapped_key FROM keys.child_keys WHERE child_id = ANY($1::uuid[])',
      [[a, b]],
    );
    expect(keys.rows.map((r) => [r.child_id, r.generation, r.wrapped_key.length]).sort()).toEqual(
      [
        [a, 1, 60],
        [b, 1, 60],
      ].sort(),
    );
    const opening = new OpeningEventStore(store, new PersonalDataVault(db.pool, { masterKey: MASTER_KEY }));
    expect((await opening.readStream(`police-${a}`)).map((e) => e.event)).toEqual(eventsA);
    expect((await opening.readStream(`police-${b}`)).map((e) => e.event)).toEqual(eventsB);
    // The content hash stays the plaintext's, so a resent event is still found to be a duplicate.
    expect((await store.findEvent(eventsA[0]!.source, eventsA[0]!.id))?.contentHash).toBe(
      contentHash(eventsA[0]),
    );
  });

  it('gives a new child one key however many processes seal for it at once', async () => {
    const child = randomUUID();
    const events = Array.from({ length: 8 }, () => aRecordedEvent({ childid: child }));
    const sealed = await Promise.all(
      events.map((event) =>
        new PersonalDataVault(db.pool, { masterKey: MASTER_KEY }).sealPersonalData(event, child),
      ),
    );
    const keys = await db.pool.query('SELECT generation FROM keys.child_keys WHERE child_id = $1', [child]);
    expect(keys.rows).toEqual([{ generation: 1 }]);
    expect(await new PersonalDataVault(db.pool, { masterKey: MASTER_KEY }).openAll(sealed)).toEqual(events);
  });

  it('erases one child: their events read as erased everywhere, the skeleton stays, others are untouched', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const eventsA = await record(a, 3);
    const eventsB = await record(b);
    // Another process that has the key in memory already.
    const elsewhere = new PersonalDataVault(db.pool, { masterKey: MASTER_KEY });
    const sealedA = (await store.readStream(`police-${a}`)).map((e) => e.event);
    await elsewhere.openAll(sealedA);

    const erasure = await vault.eraseChild(a, DPO, 'Retention period ended (decision DPO-2026-114)');
    expect(erasure).toEqual({
      childId: a,
      keyGenerations: [1],
      destroyedNow: [1],
      eventId: `child-erased-${a}-g1`,
      recorded: true,
    });

    const opened = await vault.openAll(sealedA);
    opened.forEach((event, i) => {
      const original = eventsA[i]!;
      expect(isErased(event)).toBe(true);
      expect(event.subject).toEqual({ localIds: [{ system: 'urn:jigsaw:hub:child-id', value: a }] });
      expect(event.data).toMatchObject({ summary: ERASED_MARKER, narrative: ERASED_MARKER });
      const { id, source, type, time, sharing, childid, recordedtime, dataschema } = original;
      expect(event).toMatchObject({ id, source, type, time, sharing, childid, recordedtime, dataschema });
      expect(JSON.stringify(event)).not.toContain(original.subject.nhsNumber);
    });
    expect((await new OpeningEventStore(store, vault).readStream(`police-${b}`)).map((e) => e.event)).toEqual(
      eventsB,
    );

    // Memory elsewhere holds the key until told: a consumer is, by the hub.child-erased event itself.
    const [erasedEvent] = (await store.readStream(erasureStreamOf(a))).map((e) => e.event);
    expect(erasedEvent).toMatchObject({
      type: CHILD_ERASED,
      childid: a,
      data: { childId: a, keyGenerations: [1] },
    });
    expect(elsewhere.noteErasures([erasedEvent!])).toEqual([a]);
    expect((await elsewhere.openAll(sealedA)).every(isErased)).toBe(true);

    const keyRow = await db.pool.query(
      'SELECT wrapped_key, destroyed_at FROM keys.child_keys WHERE child_id = $1',
      [a],
    );
    expect(keyRow.rows).toEqual([{ wrapped_key: null, destroyed_at: expect.any(Date) }]);
    // Nothing in the store was rewritten: the hash chain still holds.
    expect((await verifyIntegrity(db.pool)).problems).toEqual([]);
  });

  it('records an erasure once however often it is repeated, and seals later events under a new key', async () => {
    const a = randomUUID();
    await record(a);
    const first = await eraseChild(db.pool, { masterKey: MASTER_KEY }, a, DPO, 'Decision DPO-2026-115');
    const again = await vault.eraseChild(a, DPO, 'Decision DPO-2026-115');
    expect(again).toEqual({ ...first, destroyedNow: [], recorded: false });
    expect(await store.readStream(erasureStreamOf(a))).toHaveLength(1);

    const later = await record(a, 1);
    const stream = (await store.readStream(`police-${a}`)).map((e) => e.event as ProtectedEvent);
    expect(stream.map((e) => e.personaldata && 'kid' in e.personaldata && e.personaldata.kid)).toEqual([
      `${a}/1`,
      `${a}/1`,
      `${a}/2`,
    ]);
    const opened = await vault.openAll(stream);
    expect(opened.map(isErased)).toEqual([true, true, false]);
    expect(opened[2]).toEqual(later[0]);
    expect((await vault.eraseChild(a, DPO, 'Decision DPO-2026-116')).keyGenerations).toEqual([1, 2]);
  });

  it('fails closed on sealed data altered in the store, or whose key is missing, naming the event', async () => {
    const a = randomUUID();
    const [event] = await record(a, 1);
    await db.pool.query(
      `UPDATE event_store.events SET payload = jsonb_set(payload, '{data,personaldata,ciphertext}',
         to_jsonb(CASE WHEN left(payload->'data'->'personaldata'->>'ciphertext', 1) = 'A' THEN 'B' ELSE 'A' END
                  || substr(payload->'data'->'personaldata'->>'ciphertext', 2)))
       WHERE stream_id = $1`,
      [`police-${a}`],
    );
    const opening = new OpeningEventStore(store, vault);
    await expect(opening.readStream(`police-${a}`)).rejects.toThrow(PersonalDataUnreadableError);
    await expect(opening.readStream(`police-${a}`)).rejects.toMatchObject({
      code: ErrorCode.PersonalDataUnreadable,
      message: `the personal data of event ${event!.source}#${event!.id} fails its authentication check: it was altered, or sealed for another event or under another key`,
    });

    const b = randomUUID();
    const [other] = await record(b, 1);
    await db.pool.query('DELETE FROM keys.child_keys WHERE child_id = $1', [b]);
    const fresh = new PersonalDataVault(db.pool, { masterKey: MASTER_KEY });
    const [result] = await fresh.openEach((await store.readStream(`police-${b}`)).map((e) => e.event));
    expect(result).toBeInstanceOf(PersonalDataUnreadableError);
    expect((result as Error).message).toBe(
      `no data key ${b}/1 for event ${other!.source}#${other!.id} in keys.child_keys: the keys were lost, or the event came from another hub`,
    );
  });

  it('refuses to open under another master key, naming the variable', async () => {
    const a = randomUUID();
    await record(a, 1);
    const wrong = new PersonalDataVault(db.pool, { masterKey: randomBytes(32).toString('base64') });
    await expect(wrong.openAll((await store.readStream(`police-${a}`)).map((e) => e.event))).rejects.toThrow(
      /not the configured .*: check ENCRYPTION_MASTER_KEY/,
    );
  });

  it('refuses an erasure that names no child, gives no reason or no one who decided it', async () => {
    await expect(
      vault.eraseChild('9434765919', { userId: '', role: 'dpo', organisation: 'x' }, ' '),
    ).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
      problems: [
        { field: 'childId', reason: 'must be a hub child id (a UUID)' },
        { field: 'reason', reason: 'must be 1 to 500 characters, with no personal data' },
        { field: 'actor.userId', reason: 'is required' },
      ],
    });
  });
});
