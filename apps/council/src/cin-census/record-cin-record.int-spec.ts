import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SchemaRegistry } from '@jigsaw/envelope';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@jigsaw/event-store';
import { IDENTITY_MIGRATIONS } from '@jigsaw/identity';
import { aNhsNumber, aUpn, createTestDatabase, racingWriters, type TestDatabase } from '@jigsaw/testing';
import { readCinRecord, type PlannedEvent } from './cin-census.record.js';
import {
  RecordCinRecord,
  RecordCinRecordHandler,
  type CinRecordOutcome,
} from './record-cin-record.command.js';

const SOURCE = 'urn:jigsaw:org:council:leeds';

/** A child's referral and the decision to assess it, as one census record. */
function aRecord(child: { nhsNumber: string; upn: string }, laChildId: string, referralDate: string) {
  const reading = readCinRecord(
    {
      LAchildID: laChildId,
      UPN: child.upn,
      NHSNumber: child.nhsNumber,
      PersonBirthDate: '2016-04-02',
      CINreferralDate: referralDate,
      ReferralSource: '6',
      PrimaryNeedCode: 'N1',
      ReferralNFA: false,
      ReferralDecision: 'assessment',
      ReferralDecisionDate: referralDate,
      CouncilContact: { Team: 'East', Phone: '0113 222 4403', OutOfHoursPhone: '0113 240 9536' },
    },
    { source: SOURCE, secret: 'test-secret' },
  );
  if ('problems' in reading) throw new Error(`unexpected problems: ${JSON.stringify(reading.problems)}`);
  return reading.events;
}

describe('census records racing on one child, on PostgreSQL', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase([EVENT_STORE_MIGRATIONS, IDENTITY_MIGRATIONS]);
  });
  afterAll(async () => db?.drop());

  function census(together: number) {
    const { store, identity, vault } = racingWriters(db, together);
    const handler = new RecordCinRecordHandler(new SchemaRegistry(), store, identity, vault);
    return {
      identity,
      record: (events: readonly PlannedEvent[]) => handler.execute(new RecordCinRecord(events, new Date())),
    };
  }

  const statusOf = (outcome: CinRecordOutcome): string =>
    outcome.status === 'rejected'
      ? `rejected ${JSON.stringify(outcome.errors)}`
      : `${outcome.status}: ${outcome.events.map((e) => e.status).join()}`;

  const streamOf = async (id: string): Promise<string[]> => {
    const store = new PostgresEventStore(db.pool);
    const found = await store.findEvent(SOURCE, id);
    return (await store.readStream(found!.streamId)).map((e) => e.event.id);
  };

  it('stores a record racing in twice once: the other is told its events are duplicates', async () => {
    const { record } = census(2);
    const events = aRecord({ nhsNumber: aNhsNumber(), upn: aUpn() }, 'LC-1', '2026-03-02');
    const outcomes = await Promise.all([record(events), record(events)]);
    const all = (status: string) => `${status}: ${events.map(() => status).join()}`;
    expect(outcomes.map(statusOf).sort()).toEqual([all('accepted'), all('duplicate')]);
    expect(await streamOf(events[0]!.envelope.id)).toEqual(events.map((e) => e.envelope.id));
  });

  it('files two records of a child new to the hub, racing, under one child: the loser plans again', async () => {
    const { record, identity } = census(2);
    const child = { nhsNumber: aNhsNumber(), upn: aUpn() };
    const first = aRecord(child, 'LC-2', '2026-03-02');
    const second = aRecord(child, 'LC-3', '2026-09-14');
    const outcomes = await Promise.all([record(first), record(second)]);
    expect(outcomes.map((o) => o.status)).toEqual(['accepted', 'accepted']);
    expect(identity.moved).toBeGreaterThanOrEqual(1);
    expect([...(await streamOf(first[0]!.envelope.id))].sort()).toEqual(
      [...first, ...second].map((e) => e.envelope.id).sort(),
    );
  });
});
