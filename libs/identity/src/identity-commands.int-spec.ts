import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@jigsaw/event-store';
import { appliedEventsMigrations } from '@jigsaw/projection';
import { aNhsNumber, aUpn, createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import { VIEW_SCHEMA, viewMigrations, ChildLinks } from '@jigsaw/view-model';
import { IdentityCommands } from './identity-commands.js';
import { IDENTITY_MIGRATIONS, IdentityRegistry } from './identity-registry.js';
import { hubEventsTopic } from './identity.consumers.js';
import {
  CHILD_RENUMBERED,
  CHILDREN_MERGED,
  identityStreamOf,
  pairStreamChild,
  POSSIBLE_MATCH_CONFIRMED,
  POSSIBLE_MATCH_RAISED,
} from './identity.events.js';
import { aSocialWorkerDecision } from './testing/decision.factory.js';
import { PossibleMatchRaiser } from './possible-match.raiser.js';

const PREFIX = 'identity-commands-test.';
const decision = aSocialWorkerDecision('Checked with the school and the trust.');
const person = { name: { given: 'Ada', family: 'Okafor' }, birthDate: '2016-05-04', postcode: 'LS1 4AP' };

async function refusal(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (error: unknown) => (error instanceof JigsawError ? error.code : String(error)),
  );
}

describe('identity commands', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let registry: IdentityRegistry;
  let commands: IdentityCommands;

  beforeAll(async () => {
    db = await createTestDatabase([
      EVENT_STORE_MIGRATIONS,
      IDENTITY_MIGRATIONS,
      appliedEventsMigrations(VIEW_SCHEMA),
      viewMigrations(VIEW_SCHEMA),
    ]);
    store = new PostgresEventStore(db.pool, {
      route: (event) => ({ topic: hubEventsTopic(PREFIX), key: event.childid }),
    });
    registry = new IdentityRegistry(db.pool, 'test-secret');
    commands = new IdentityCommands(store, registry, new ChildLinks(db.pool));
  });
  afterAll(async () => db?.drop());

  const typesOn = async (streamChild: string): Promise<string[]> =>
    (await store.readStream(identityStreamOf(streamChild))).map((e) => e.event.type);

  it('merges once when two people confirm the same possible match at the same moment', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const { matchId } = await commands.raise(b, a, 'name-birth-date-postcode');
    const results = await Promise.all(Array.from({ length: 5 }, () => commands.confirm(matchId, decision)));
    expect(new Set(results.map((r) => r.linkId)).size).toBe(1);
    expect(results.filter((r) => r.changed)).toHaveLength(1);
    expect(await typesOn(pairStreamChild(a, b))).toEqual([
      POSSIBLE_MATCH_RAISED,
      POSSIBLE_MATCH_CONFIRMED,
      CHILDREN_MERGED,
    ]);
    const merged = (await store.readStream(identityStreamOf(pairStreamChild(a, b))))[2]!.event;
    // The child already known stays; the new sighting joins it. Who and why go with it.
    expect(merged.data).toMatchObject({ childId: a, linkedId: b, matchId, ...decision });
  });

  it('raises a possible match once per pair, and never flips a decision', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const first = await commands.raise(a, b, 'identifier-conflict');
    expect(await commands.raise(b, a, 'name-birth-date-postcode')).toEqual({
      matchId: first.matchId,
      raised: false,
    });
    expect(await commands.reject(first.matchId, decision)).toEqual({ changed: true });
    expect(await commands.reject(first.matchId, decision)).toEqual({ changed: false });
    expect(await refusal(commands.confirm(first.matchId, decision))).toBe(ErrorCode.IdentityConflict);
    expect(await typesOn(pairStreamChild(a, b))).toEqual([
      POSSIBLE_MATCH_RAISED,
      'hub.possible-match-rejected',
    ]);
    expect(await refusal(commands.confirm('pm-00000000000000000000000000000000', decision))).toBe(
      ErrorCode.NotFound,
    );
  });

  it('answers a repeated merge with the same link, and a repeated split as no change', async () => {
    expect(await refusal(commands.merge(randomUUID(), randomUUID(), decision))).toBe(ErrorCode.ChildNotFound);
    const a = await registry.resolve('police', { nhsNumber: aNhsNumber() });
    const b = await registry.resolve('police', { nhsNumber: aNhsNumber() });
    const merged = await commands.merge(a, b, decision);
    expect(await commands.merge(b, a, decision)).toEqual({ linkId: merged.linkId, changed: false });
    expect(await commands.split(merged.linkId, decision)).toEqual({ childId: a, linkedId: b, changed: true });
    expect(await commands.split(merged.linkId, decision)).toEqual({
      childId: a,
      linkedId: b,
      changed: false,
    });
    expect(await refusal(commands.merge(a, a, decision))).toBe(ErrorCode.ValidationFailed);
  });

  it('publishes identity events to hub.events keyed by a hub child id, with no identifier in them', async () => {
    const [previous, next] = [aNhsNumber(), aNhsNumber()];
    const child = await registry.resolve('health', { nhsNumber: previous, ...person });
    expect(await commands.renumber(child, previous, next, decision)).toEqual({ changed: true });
    expect(await commands.renumber(child, previous, next, decision)).toEqual({ changed: false });
    expect(await typesOn(child)).toEqual([CHILD_RENUMBERED]);
    const { rows } = await db.pool.query<{ topic: string; message_key: string; payload: unknown }>(
      'SELECT topic, message_key, payload FROM event_store.outbox',
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.topic).toBe(`${PREFIX}hub.events`);
      expect(row.message_key).toMatch(/^[0-9a-f-]{36}$/);
    }
    const everything = JSON.stringify(rows);
    expect(everything).not.toContain(previous);
    expect(everything).not.toContain(next);
    expect(await registry.lookup('nhs-number', next)).toBe(child);
    expect(await registry.lookup('nhs-number', previous)).toBeUndefined();
  });

  it('refuses to renumber onto a number that is another child’s, naming the field', async () => {
    const [mine, theirs] = [aNhsNumber(), aNhsNumber()];
    const child = await registry.resolve('health', { nhsNumber: mine });
    await registry.resolve('health', { nhsNumber: theirs });
    const error = await commands.renumber(child, mine, theirs, decision).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JigsawError);
    expect((error as JigsawError).problems).toEqual([
      { field: 'nhsNumber', reason: expect.stringContaining('another hub child') },
    ]);
    expect(await registry.lookup('nhs-number', mine)).toBe(child);
  });

  it('links an unborn record only to a born child', async () => {
    const mother = aNhsNumber();
    const pregnancy = [{ system: 'urn:jigsaw:org:health:lth/pregnancy', value: randomUUID() }];
    const unborn = await registry.resolve(
      'health',
      { nhsNumber: mother, localIds: pregnancy },
      'health.pre-birth-concern-raised',
    );
    const baby = await registry.resolve('health', { nhsNumber: aNhsNumber() });
    const other = await registry.resolve('education', { upn: aUpn() });
    expect(await refusal(commands.linkUnborn(baby, other, decision))).toBe(ErrorCode.IdentityConflict);
    expect(await refusal(commands.linkUnborn(unborn, baby, decision))).toBe(ErrorCode.IdentityConflict);
    const birth = 'urn:jigsaw:org:health:lth#birth-1';
    const first = await commands.linkUnborn(baby, unborn, decision, { birthEvent: birth });
    expect(await commands.linkUnborn(baby, unborn, decision, { birthEvent: birth })).toEqual({
      linkId: first.linkId,
      changed: false,
    });
  });

  it('raises possible matches from the evidence agencies leave, and never for one child', async () => {
    const links = new ChildLinks(db.pool);
    const raiser = new PossibleMatchRaiser(registry, commands, links);
    while ((await raiser.raiseOnce()) > 0);
    const someone = { ...person, name: { given: 'Bea', family: 'Okafor' } };
    const known = await registry.resolve('health', { nhsNumber: aNhsNumber(), ...someone });
    const incoming = await registry.resolve('education', { upn: aUpn(), ...someone });
    expect(await raiser.raiseOnce()).toBeGreaterThan(0);
    const stream = await store.readStream(identityStreamOf(pairStreamChild(known, incoming)));
    expect(stream.map((e) => e.event.type)).toEqual([POSSIBLE_MATCH_RAISED]);
    expect(stream[0]!.event.data).toMatchObject({
      childId: incoming,
      candidateId: known,
      evidence: 'name-birth-date-postcode',
    });
    expect(JSON.stringify(stream)).not.toMatch(/okafor|LS1 4AP|2016-05-04/i);
    // Nothing links until a person confirms: each child is still only itself.
    expect(await links.membersOf(known)).toEqual([known]);
    expect(await registry.raiseUnchecked(10, () => Promise.resolve())).toBe(0);
  });
});
