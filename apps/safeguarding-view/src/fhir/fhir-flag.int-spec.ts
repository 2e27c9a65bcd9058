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
  VIEW_SCHEMA,
  viewMigrations,
} from '@jigsaw/view-model';
import { ChildAccessGate } from '../children/child-access.gate.js';
import { aeClinician, exampleHistory, LEEDS, socialWorker } from '../openapi/example-history.js';
import { ChildViewService } from '../view/child-view.service.js';
import { FhirFlagController } from './fhir-flag.controller.js';

type Json = Record<string, unknown>;
const request = { protocol: 'https', get: () => 'jigsaw.example' } as unknown as Request;
const response = () => ({ type: jest.fn() }) as unknown as Response;

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
    controller = new FhirFlagController(
      new ChildViewService(new ChildAccessGate(db.pool, store, accessLog, children), accessLog),
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

  it('answers a child unknown to the hub as one without a flag, and records no read', async () => {
    const before = await reads();
    expect(await search(aNhsNumber())).toMatchObject({ type: 'searchset', total: 0, entry: [] });
    expect(await reads()).toBe(before);
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
