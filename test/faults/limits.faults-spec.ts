import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { toCloudEvent, type JigsawEnvelope } from '@jigsaw/envelope';
import { agencySystemToken, anIncidentNotification, METROPOLITAN_POLICE } from '@jigsaw/testing';
import { eventually, postUntilAnswered } from './support/agency-client.js';
import { eventCounts } from './support/replay.js';
import { createWorld, type World } from './support/world.js';

const KENT_POLICE = 'urn:jigsaw:org:police:kent';

describe('rate limits on a running service', () => {
  let world: World;

  beforeAll(async () => {
    // Tight limits for this test; the defaults are generous (see libs/http/src/rate-limit.ts).
    world = await createWorld('limits', ['police', 'safeguarding-view'], {
      RATE_LIMIT_PER_SECOND: '5',
      RATE_LIMIT_BURST: '10',
      RATE_LIMIT_ANONYMOUS_PER_SECOND: '5',
      RATE_LIMIT_ANONYMOUS_BURST: '20',
    });
  }, 120_000);
  afterAll(async () => world?.close());

  // One token per sender, used for all its requests, as a real client holds one until it expires.
  const tokens = new Map([METROPOLITAN_POLICE, KENT_POLICE].map((o) => [o, agencySystemToken(o)]));
  const post = (organisation: string, event: JigsawEnvelope): Promise<Response> =>
    fetch(`${world.service('police').url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(organisation)!}` },
      body: JSON.stringify(toCloudEvent(event)),
    });

  it('answers a client over its rate 429 problem+json with Retry-After, leaves other clients alone, and loses nothing', async () => {
    // A token counts against its sender once the service has accepted it; before that, its address.
    expect((await post(METROPOLITAN_POLICE, anIncidentNotification())).status).toBe(202);
    await sleep(2_000);
    const events = Array.from({ length: 30 }, () => anIncidentNotification());
    const answers = await Promise.all(events.map((e) => post(METROPOLITAN_POLICE, e)));
    const statuses = answers.map((a) => a.status);
    const throttled = answers.filter((a) => a.status === 429);
    expect(statuses.filter((s) => s === 202).length).toBeGreaterThanOrEqual(10);
    expect(throttled.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 202 || s === 429)).toBe(true);
    for (const answer of throttled) {
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(await answer.json()).toMatchObject({
        status: 429,
        title: 'Too Many Requests',
        detail: expect.stringContaining('from this client'),
      });
    }

    // Another force, signed in separately, is not held back by the first.
    const kent = { ...anIncidentNotification({ source: KENT_POLICE }) };
    kent.sharing = { ...kent.sharing, decidedBy: { ...kent.sharing.decidedBy, organisation: KENT_POLICE } };
    expect((await post(KENT_POLICE, kent)).status).toBe(202);

    // The throttled sender waits as told and sends again: every event is recorded, once.
    const retried = events.filter((_, i) => statuses[i] === 429);
    for (const event of retried) {
      expect(
        (await postUntilAnswered(`${world.service('police').url}/v1/events`, METROPOLITAN_POLICE, event))
          .status,
      ).toBe(202);
    }
    const counts = await eventually(
      async () => {
        const c = await eventCounts(world.pool);
        return c.chronology >= 32 ? c : undefined;
      },
      60_000,
      'all 32 events in the view',
    );
    expect(counts).toMatchObject({ stored: 32, storedDistinct: 32, chronology: 32, chronologyDistinct: 32 });
  });

  it('holds callers without a token to a rate per address, health probes included', async () => {
    await sleep(5_000);
    const url = `${world.service('police').url}/health/live`;
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await fetch(url)).status);
    expect(statuses.slice(0, 10)).toEqual(Array.from({ length: 10 }, () => 200));
    expect(statuses).toContain(429);
  });
});
