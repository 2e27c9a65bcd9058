import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { aNhsNumber, aUpn, createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import { IDENTITY_MIGRATIONS, IdentityRegistry } from './identity-registry.js';

describe('IdentityRegistry', () => {
  let db: TestDatabase;
  let registry: IdentityRegistry;

  beforeAll(async () => {
    db = await createTestDatabase([IDENTITY_MIGRATIONS]);
    registry = new IdentityRegistry(db.pool, 'test-secret');
  });
  afterAll(async () => db.drop());

  it('gives the same child the same hub id from any agency that knows the NHS number', async () => {
    const nhsNumber = aNhsNumber();
    const fromPolice = await registry.resolve('police', { nhsNumber });
    const fromHealth = await registry.resolve('health', {
      nhsNumber,
      localIds: [{ system: 'mrn', value: 'H1' }],
    });
    expect(fromHealth).toBe(fromPolice);
    expect(await registry.lookup('nhs-number', nhsNumber)).toBe(fromPolice);
  });

  it('links a UPN learnt alongside an NHS number, so the school finds the same child', async () => {
    const nhsNumber = aNhsNumber();
    const upn = aUpn();
    const child = await registry.resolve('education', { nhsNumber, upn });
    expect(await registry.resolve('education', { upn })).toBe(child);
    expect(await registry.lookup('upn', upn)).toBe(child);
  });

  it('keeps local ids within their agency', async () => {
    const local = [{ system: 'case', value: 'C-1' }];
    expect(await registry.resolve('council', { localIds: local })).not.toBe(
      await registry.resolve('police', { localIds: local }),
    );
  });

  it('converges when many first sightings of one child race', async () => {
    const nhsNumber = aNhsNumber();
    const ids = await Promise.all(
      Array.from({ length: 10 }, () => registry.resolve('police', { nhsNumber })),
    );
    expect(new Set(ids).size).toBe(1);
  });

  it('never stores an identifier in clear', async () => {
    const nhsNumber = aNhsNumber();
    await registry.resolve('police', { nhsNumber });
    const { rows } = await db.pool.query('SELECT * FROM identity.child_identifiers');
    expect(JSON.stringify(rows)).not.toContain(nhsNumber);
  });
});
