import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { repoRoot } from '@jigsaw/config';
import {
  aNhsNumber,
  aUpn,
  agencySystemToken,
  createTestDatabase,
  practitionerToken,
  ServiceProcess,
  startServices,
  testBrokers,
  uniqueTopicPrefix,
  type ServiceName,
  type TestDatabase,
} from '@jigsaw/testing';
import { getJson, postEvent, eventually, exampleEvent } from './support/http.js';

interface Envelope {
  id: string;
  source: string;
  type: string;
  subject: Record<string, unknown>;
}

/** An agency's own valid example of a type, re-addressed to this test's child under a fresh id. */
function exampleFor(type: string, subject: Record<string, unknown>): Envelope {
  const folder = join(repoRoot(), 'schemas', type.replace('.', '/'), 'examples/valid');
  const file = readdirSync(folder).find((f) => f.endsWith('.json'))!;
  const example = exampleEvent<Envelope>(join(folder, file));
  return { ...example, id: `four-agencies-${type}-${Date.now()}`, subject };
}

describe("one child's events from all four agencies in one chronology", () => {
  let db: TestDatabase;
  const services = new Map<ServiceName, ServiceProcess>();

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testBrokers(),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix('four'),
    };
    const started = await startServices(env, 'council', 'police', 'health', 'education', 'safeguarding-view');
    started.forEach((service) => services.set(service.name, service));
  }, 180_000);

  afterAll(async () => {
    await Promise.all([...services.values()].map((s) => s.stop()));
    await db?.drop();
  });

  it('links the school by UPN and NHS number and shows a social worker every agency', async () => {
    const nhsNumber = aNhsNumber();
    const upn = aUpn();
    const events: [ServiceName, Envelope][] = [
      ['council', exampleFor('council.child-protection-plan-started', { nhsNumber })],
      ['police', exampleFor('police.domestic-abuse-incident-notified', { nhsNumber })],
      ['health', exampleFor('health.unscheduled-care-attended', { nhsNumber })],
      ['education', exampleFor('education.safeguarding-concern-recorded', { upn, nhsNumber })],
    ];
    for (const [service, event] of events) {
      const response = await postEvent(`${services.get(service)!.url}/v1/events`, event, {
        authorization: `Bearer ${agencySystemToken(event.source)}`,
      });
      expect({ service, status: response.status, body: response.body }).toEqual({
        service,
        status: 202,
        body: { id: event.id },
      });
    }

    // A social worker at the council that owns the plan: every other agency shared with the council.
    const council = events[0]![1].source;
    const token = practitionerToken({
      sub: 'sw-1',
      agency: 'council',
      organisation: council,
      role: 'social-worker',
      purposes: ['safeguarding'],
    });
    const read = (
      ref: string,
    ): Promise<{ entries: { id: string; agency: string; type: string }[] } | undefined> =>
      getJson<{ entries: { id: string; agency: string; type: string }[] }>(
        `${services.get('safeguarding-view')!.url}/v1/children/${ref}/chronology?purpose=safeguarding`,
        { authorization: `Bearer ${token}` },
      ).then((r) => (r.status === 200 && r.body.entries.length >= 4 ? r.body : undefined));
    const chronology = await eventually(() => read(nhsNumber), 30_000, 'four entries in the chronology');

    expect(chronology.entries.map((e) => [e.agency, e.type]).sort()).toEqual(
      events.map(([agency, event]) => [agency, event.type]).sort(),
    );
    expect(new Set(chronology.entries.map((e) => e.id))).toEqual(new Set(events.map(([, e]) => e.id)));
    expect(JSON.stringify(chronology)).not.toContain(upn);
  });
});
