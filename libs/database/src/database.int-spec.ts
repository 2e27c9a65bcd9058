import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import { createPool, type Pool } from './database.js';

describe('a pool when the server drops its connections', () => {
  let db: TestDatabase;
  let pool: Pool;
  beforeAll(async () => {
    db = await createTestDatabase();
    pool = createPool(db.url, { max: 2 });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('survives losing a client held between queries, and hands out working ones after', async () => {
    // As a restart does to every session, or an administrator to one: here, to a lock-holding session.
    const held = await pool.connect();
    const { rows } = await held.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    await db.pool.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
    // The server's goodbye arrives while nobody is querying; unheard, it would end the process.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await expect(held.query('SELECT 1')).rejects.toThrow();
    held.release();
    const fresh = await pool.query<{ one: number }>('SELECT 1 AS one');
    expect(fresh.rows).toEqual([{ one: 1 }]);
  });
});
