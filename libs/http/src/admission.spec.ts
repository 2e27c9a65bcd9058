import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import express from 'express';
import { loadConfig } from '@jigsaw/config';
import { admission, AdmissionConfig } from './admission.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A server whose writes are held until `release` is called; reads answer at once. */
async function heldServer(config: Partial<AdmissionConfig>) {
  const gate = admission(Object.assign(new AdmissionConfig(), config));
  const waiting: (() => void)[] = [];
  let recorded = 0;
  const app = express();
  app.use(gate);
  app.get('/read', (_req, res) => void res.json({ read: true }));
  app.post('/write', (_req, res) => {
    waiting.push(() => {
      recorded++;
      res.status(202).json({ recorded: true });
    });
  });
  const server = createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const arrived = async (n: number): Promise<void> => {
    while (waiting.length < n) await new Promise((r) => setTimeout(r, 5));
  };
  return {
    url: `http://127.0.0.1:${port}`,
    gate,
    arrived,
    release: () => waiting.splice(0).forEach((answer) => answer()),
    recorded: () => recorded,
  };
}

describe('AdmissionConfig', () => {
  it('limits writes in flight by default, and reads the limit from the environment', () => {
    expect({ ...loadConfig(AdmissionConfig, {}) }).toEqual({
      MAX_WRITES_IN_FLIGHT: 64,
      OVERLOAD_RETRY_AFTER_SECONDS: 1,
    });
    expect(() => loadConfig(AdmissionConfig, { MAX_WRITES_IN_FLIGHT: 'many' })).toThrow(
      /MAX_WRITES_IN_FLIGHT/,
    );
  });
});

describe('admission', () => {
  it('refuses a write over the limit at once with 503, Retry-After and problem+json', async () => {
    const server = await heldServer({ MAX_WRITES_IN_FLIGHT: 2, OVERLOAD_RETRY_AFTER_SECONDS: 3 });
    const held = [1, 2].map(() => fetch(`${server.url}/write`, { method: 'POST', body: '{}' }));
    await server.arrived(2);

    const started = performance.now();
    const refused = await fetch(`${server.url}/write`, { method: 'POST', body: '{}' });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('3');
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await refused.json()).toMatchObject({
      status: 503,
      detail: expect.stringMatching(/retry after 3 s/),
    });

    // Reads are not held back by writes.
    expect((await fetch(`${server.url}/read`)).status).toBe(200);

    server.release();
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([202, 202]);
    expect(server.recorded()).toBe(2);
  });

  it('admits again once writes finish, so a client that waits loses nothing', async () => {
    const server = await heldServer({ MAX_WRITES_IN_FLIGHT: 1 });
    const first = fetch(`${server.url}/write`, { method: 'POST', body: '{}' });
    await server.arrived(1);
    expect((await fetch(`${server.url}/write`, { method: 'POST', body: '{}' })).status).toBe(503);
    server.release();
    expect((await first).status).toBe(202);
    while (server.gate.inFlight() > 0) await new Promise((r) => setTimeout(r, 5));

    const retried = fetch(`${server.url}/write`, { method: 'POST', body: '{}' });
    await server.arrived(1);
    server.release();
    expect((await retried).status).toBe(202);
    expect(server.recorded()).toBe(2);
  });

  it('frees the place of a client that hangs up', async () => {
    const server = await heldServer({ MAX_WRITES_IN_FLIGHT: 1 });
    const abort = new AbortController();
    const gone = fetch(`${server.url}/write`, { method: 'POST', body: '{}', signal: abort.signal });
    await server.arrived(1);
    abort.abort();
    await expect(gone).rejects.toThrow();
    while (server.gate.inFlight() > 0) await new Promise((r) => setTimeout(r, 5));
    expect(server.gate.inFlight()).toBe(0);
  });

  it('counts nothing when turned off', async () => {
    const server = await heldServer({ MAX_WRITES_IN_FLIGHT: 0 });
    const held = [1, 2, 3].map(() => fetch(`${server.url}/write`, { method: 'POST', body: '{}' }));
    await server.arrived(3);
    server.release();
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([202, 202, 202]);
  });
});
