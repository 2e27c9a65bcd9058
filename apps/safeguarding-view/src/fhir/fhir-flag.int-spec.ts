import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Request, Response } from 'express';
import { SchemaRegistry } from '@jigsaw/envelope';
import { JigsawError } from '@jigsaw/errors';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@jigsaw/event-store';
import { outcomeOfProblem } from '@jigsaw/fhir';
import { IDENTITY_MIGRATIONS, IdentityRegistry } from '@jigsaw/identity';
import { appliedEventsMigrations, ProjectionRunner } from '@jigsaw/projection';
import { aNhsNumber, createTestDatabase, hapiFhirValidator, type TestDatabase } from '@jigsaw/testing';
import {
  AccessLog,
  ChildRefResolver,
  chronologyProjection,
  ChildLinks,
  accessTopic,
  CP_IS_FLAG_LOOKED_UP,
  VIEW_SCHEMA,
  viewMigrations,
} from '@jigsaw/view-model';
import { ChildAccessGate } from '../children/child-access.gate.js';
import { aeClinician, exampleHistory, LEEDS, socialWorker } from '../openapi/example-history.js';
import { ChildViewService } from '../view/child-view.service.js';
import { FhirFlagController } from './fhir-flag.controller.js';

type Json = Record<string, unknown>;
const PREFIX = 'test.';
const request = { protocol: 'https', get: () => 'jigsaw.example' } as unknown as Request;
const response = () => ({ type: jest.fn() }) as unknown as Response;

/** The flag's state, as the search's OperationOutcome entry says it. */
const stateOf = (bundle: Json): string | undefined => {
  const entries = bundle['entry'] as { resource: Json; search: { mode: string } }[];
  const outcome = entries.find((e) => e.search.mode === 'outcome')?.resource as
    { issue: { details: { coding: { code: string }[] } }[] } | undefined;
  return outcome?.issue[0]?.details.coding[0]?.code;
};

/** A clinician at an emergency department the child never attended: no relationship with the child. */
const elsewhere = {
  ...aeClinician,
  organisation: 'urn:jigsaw:org:health:york-hospital',
  userId: 'clin-york',
};

describe('the CP-IS flag over FHIR', () => {
  let db: TestDatabase;
  let controller: FhirFlagController;
  const nhsNumber = aNhsNumber();
  let childId: string;

  const reads = async (): Promise<number> =>
    (
      await db.pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM event_store.events WHERE type = 'hub.record-accessed'",
      )
    ).rows[0]!.n;
  const accessViews = async (after: number): Promise<{ view: string; refused: string | null }[]> =>
    (
      await db.pool.query<{ view: string; refused: string | null }>(
        `SELECT payload->'data'->'record'->>'view' AS view, payload->'data'->'record'->>'refused' AS refused FROM event_store.events
         WHERE type = 'hub.record-accessed' ORDER BY global_position OFFSET $1`,
        [after],
      )
    ).rows;
  const search = (patient: string, viewer = aeClinician) =>
    controller.flags({ patient, purpose: viewer.purpose }, viewer, request, response());

  beforeAll(async () => {
    db = await createTestDatabase([
      EVENT_STORE_MIGRATIONS,
      IDENTITY_MIGRATIONS,
      appliedEventsMigrations(VIEW_SCHEMA),
      viewMigrations(VIEW_SCHEMA),
    ]);
    const identity = new IdentityRegistry(db.pool, 'integration-test-identifier-secret');
    childId = await identity.resolve('council', { nhsNumber });
    const runner = new ProjectionRunner(db.pool, VIEW_SCHEMA, [chronologyProjection], new SchemaRegistry());
    for (const event of exampleHistory()) await runner.apply({ ...event, childid: childId });
    const store = new PostgresEventStore(db.pool);
    const accessLog = new AccessLog(store);
    const children = new ChildRefResolver(identity, new ChildLinks(db.pool));
    const lookups = new PostgresEventStore(db.pool, {
      route: (event) =>
        event.type === CP_IS_FLAG_LOOKED_UP ? { topic: accessTopic(PREFIX), key: event.childid } : undefined,
    });
    controller = new FhirFlagController(
      new ChildViewService(new ChildAccessGate(db.pool, store, accessLog, children), accessLog, lookups),
    );
  });
  afterAll(async () => db?.drop());

  it('answers a searchset of Flags: on a plan since when, the council to call, nothing of the plan itself', async () => {
    const before = await reads();
    const bundle = await search(nhsNumber);
    expect(await reads()).toBe(before + 1);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
    const [entry] = bundle['entry'] as { resource: Json; search: Json }[];
    expect(entry?.resource).toMatchObject({
      resourceType: 'Flag',
      status: 'active',
      code: { coding: [{ code: 'CPP', display: 'Child Protection Plan' }] },
      subject: { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhsNumber } },
      period: { start: expect.stringMatching(/^2026-06-02/) },
      author: { reference: '#responsible-council' },
      contained: [
        {
          resourceType: 'Organization',
          identifier: [{ value: LEEDS }],
          telecom: [{ system: 'phone', value: '0113 222 4403' }],
          contact: [
            { name: { text: 'Out of hours' }, telecom: [{ system: 'phone', value: '0113 240 9536' }] },
          ],
        },
      ],
    });
    // The plan's category (neglect) is the plan's content: not in the flag.
    expect(JSON.stringify(bundle)).not.toContain('NEG');
  });

  it('takes the patient as a token with the NHS number system too', async () => {
    const bundle = await search(`https://fhir.nhs.uk/Id/nhs-number|${nhsNumber}`);
    expect(bundle['total']).toBe(1);
  });

  it('answers a child unknown to the hub as not flagged, and records no read', async () => {
    const before = await reads();
    const bundle = await search(aNhsNumber());
    expect(bundle).toMatchObject({ type: 'searchset', total: 0 });
    expect(stateOf(bundle)).toBe('not-flagged');
    expect(await reads()).toBe(before);
  });

  it('states the flag in every answer: flagged, with the Flags', async () => {
    expect(stateOf(await search(nhsNumber))).toBe('flagged');
  });

  it('gives unscheduled care elsewhere the minimal flag of any child, recorded, and tells the council when and where', async () => {
    const before = await reads();
    const bundle = await search(nhsNumber, elsewhere);
    expect(stateOf(bundle)).toBe('flagged');
    expect(bundle['total']).toBe(1);
    const [entry] = bundle['entry'] as { resource: Json }[];
    expect(entry?.resource).toMatchObject({
      resourceType: 'Flag',
      status: 'active',
      code: { coding: [{ code: 'CPP' }] },
      period: { start: expect.stringMatching(/^2026-06-02/) },
      contained: [{ identifier: [{ value: LEEDS }], telecom: [{ value: '0113 222 4403' }] }],
    });
    expect(JSON.stringify(bundle)).not.toContain('NEG');
    // The refused read of the child view, then the look-up of the flag under the CP-IS rule.
    const views = await accessViews(before);
    expect(views).toEqual([
      { view: 'child-view', refused: 'no-relationship' },
      { view: 'cp-is-flag', refused: null },
    ]);
    // Published on hub.access for the notifications service, which tells the council from it.
    const { rows } = await db.pool.query<{ topic: string; record: Record<string, unknown> }>(
      `SELECT topic, payload->'data'->'record' AS record FROM event_store.outbox`,
    );
    expect(rows).toEqual([
      {
        topic: accessTopic(PREFIX),
        record: expect.objectContaining({
          council: LEEDS,
          lookedUpAt: expect.any(String),
          lookedUpBy: elsewhere.organisation,
        }),
      },
    ]);
  });

  it('answers anyone else without a relationship not-visible, never not-flagged, known child or not', async () => {
    const safeguarding = { ...elsewhere, purpose: 'safeguarding' as const };
    const before = await reads();
    for (const patient of [nhsNumber, aNhsNumber()]) {
      const bundle = await search(patient, safeguarding);
      expect(bundle).toMatchObject({ total: 0 });
      expect(stateOf(bundle)).toBe('not-visible');
    }
    // Only the known child's refusal is recorded: on its access stream, as every refused read is.
    expect(await accessViews(before)).toEqual([{ view: 'child-view', refused: 'no-relationship' }]);
  });

  it('refuses a patient that is no NHS number, and anyone but health, before reading anything', async () => {
    const before = await reads();
    await expect(search('9434765918')).rejects.toMatchObject({ problems: [{ field: 'patient' }] });
    await expect(search(nhsNumber, socialWorker)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await reads()).toBe(before);
  });

  it('writes resources HAPI FHIR finds valid R4, and HAPI does find fault where there is one', async () => {
    const validator = hapiFhirValidator();
    if (!validator) return;
    const bundle = await search(nhsNumber);
    const refused = await search('9434765918').catch((error: JigsawError) => error);
    const outcome = outcomeOfProblem({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: (refused as JigsawError).message,
      instance: '/fhir/Flag',
      errors: (refused as JigsawError).problems,
    });
    const metadata = controller.metadata(request, response());
    const broken = { resourceType: 'Flag', status: 'flying', subject: {} };
    const findings = validator.validate([bundle, metadata, outcome, await search(aNhsNumber()), broken]);
    expect(findings.filter((f) => !f.startsWith('4:'))).toEqual([]);
    expect(findings.some((f) => f.startsWith('4: ERROR'))).toBe(true);
  }, 600_000);
});
