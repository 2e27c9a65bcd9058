import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { aNhsNumber, aUpn, createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import {
  IDENTITY_MIGRATIONS,
  IdentityRegistry,
  RenumberRefusedError,
  type UncheckedEvidence,
} from './identity-registry.js';

const PRE_BIRTH = 'health.pre-birth-concern-raised';
const pregnancy = (value: string) => [{ system: 'urn:jigsaw:org:health:lth/pregnancy', value }];
const person = (given: string) => ({
  name: { given, family: 'Okafor' },
  birthDate: '2016-05-04',
  postcode: 'LS1 4AP',
});

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

  describe('unborn children', () => {
    it("keeps a pregnancy's records apart from the mother's own, though they carry her NHS number", async () => {
      const mothersNhs = aNhsNumber();
      const mother = await registry.resolve('health', { nhsNumber: mothersNhs });
      const unborn = await registry.resolve(
        'health',
        { nhsNumber: mothersNhs, localIds: pregnancy('P-1') },
        PRE_BIRTH,
      );
      expect(unborn).not.toBe(mother);
      expect(await registry.lookup('nhs-number', mothersNhs)).toBe(mother);
      expect(await registry.isUnborn(unborn)).toBe(true);
      expect(await registry.isUnborn(mother)).toBe(false);
      // A later record about the same pregnancy (a correction, whatever its type) finds the unborn child.
      expect(await registry.resolve('health', { nhsNumber: mothersNhs, localIds: pregnancy('P-1') })).toBe(
        unborn,
      );
      expect(await registry.lookupLocal('health', pregnancy('P-1')[0]!)).toEqual({
        childId: unborn,
        unborn: true,
      });
    });

    it('registers an unborn child whose mother the hub has never seen, without linking her number', async () => {
      const mothersNhs = aNhsNumber();
      const unborn = await registry.resolve(
        'health',
        { nhsNumber: mothersNhs, localIds: pregnancy('P-2') },
        PRE_BIRTH,
      );
      expect(await registry.lookup('nhs-number', mothersNhs)).toBeUndefined();
      expect(await registry.resolve('health', { nhsNumber: mothersNhs })).not.toBe(unborn);
    });

    it('refuses an unborn subject with no pregnancy id', async () => {
      await expect(registry.resolve('health', { nhsNumber: aNhsNumber() }, PRE_BIRTH)).rejects.toThrow(
        /local id for the pregnancy/,
      );
    });
  });

  describe('renumbering', () => {
    it('links the new NHS number to the same child and retires the old one', async () => {
      const [old, renewed] = [aNhsNumber(), aNhsNumber()];
      const child = await registry.resolve('health', { nhsNumber: old });
      expect(await registry.renumber(child, [child], old, renewed)).toBe(true);
      expect(await registry.lookup('nhs-number', renewed)).toBe(child);
      expect(await registry.lookup('nhs-number', old)).toBeUndefined();
      expect(await registry.lookupStatus('nhs-number', old)).toEqual({ childId: child, retired: true });
      // Late records under the old number still file with the child.
      expect(await registry.resolve('police', { nhsNumber: old })).toBe(child);
      expect(await registry.resolve('police', { nhsNumber: renewed })).toBe(child);
      // Repeating it changes nothing.
      expect(await registry.renumber(child, [child], old, renewed)).toBe(false);
    });

    it("refuses a previous number that is not the child's, and a new one that is another child's", async () => {
      const [a, b, c] = [aNhsNumber(), aNhsNumber(), aNhsNumber()];
      const first = await registry.resolve('health', { nhsNumber: a });
      const second = await registry.resolve('health', { nhsNumber: b });
      const refusal = (promise: Promise<unknown>) =>
        promise.then(
          () => undefined,
          (e: unknown) => (e instanceof RenumberRefusedError ? e.problem : e),
        );
      expect(await refusal(registry.renumber(first, [first], b, c))).toBe('previous-not-this-child');
      expect(await refusal(registry.renumber(first, [first], a, b))).toBe(
        'new-number-belongs-to-another-child',
      );
      expect(await refusal(registry.renumber(first, [first], a, a))).toBe('same-number');
      // Once the two records are one child (merged), the new number may already be a member's.
      expect(await registry.renumber(first, [first, second], a, b)).toBe(true);
      expect(await registry.lookup('nhs-number', a)).toBeUndefined();
      expect(await registry.lookup('nhs-number', b)).toBe(second);
      // Nothing was half done by the refusals.
      expect(await registry.lookup('nhs-number', c)).toBeUndefined();
    });
  });

  describe('weaker evidence', () => {
    const drain = async (): Promise<UncheckedEvidence[]> => {
      const seen: UncheckedEvidence[] = [];
      while (
        (await registry.raiseUnchecked(100, (rows) => {
          seen.push(...rows);
          return Promise.resolve();
        })) > 0
      );
      return seen;
    };

    it('notes a name, date of birth and postcode that another child shares, without linking them', async () => {
      await drain();
      const known = await registry.resolve('health', { nhsNumber: aNhsNumber(), ...person('Ada') });
      const incoming = await registry.resolve('education', { upn: aUpn(), ...person('ADA') });
      expect(incoming).not.toBe(known);
      const evidence = await drain();
      const forIncoming = evidence.find((e) => e.childId === incoming);
      expect(forIncoming).toMatchObject({ kind: 'name-birth-date-postcode', peers: [known] });
      // Marked done: the next pass finds nothing, and seeing the child again notes nothing new.
      await registry.resolve('education', { upn: aUpn(), ...person('Bea') });
      expect(await drain()).toHaveLength(1);
      const { rows } = await db.pool.query('SELECT * FROM identity.child_evidence');
      expect(JSON.stringify(rows)).not.toMatch(/okafor|LS1|2016-05-04/i);
    });

    it('notes identifiers of two children named together as a possible match, and links nothing', async () => {
      await drain();
      const nhsNumber = aNhsNumber();
      const byNhs = await registry.resolve('health', { nhsNumber });
      const byLocal = await registry.resolve('police', { localIds: [{ system: 'pnc', value: nhsNumber }] });
      const both = await registry.resolve('police', {
        nhsNumber,
        localIds: [{ system: 'pnc', value: nhsNumber }],
      });
      expect(both).toBe(byNhs);
      expect(await registry.resolve('police', { localIds: [{ system: 'pnc', value: nhsNumber }] })).toBe(
        byLocal,
      );
      const evidence = await drain();
      // Once per pair: the newer record against the child known before it.
      expect(evidence.filter((e) => e.kind === 'identifier-conflict' && e.peers.length > 0)).toEqual([
        expect.objectContaining({ childId: [byNhs, byLocal].sort()[1], peers: [[byNhs, byLocal].sort()[0]] }),
      ]);
    });

    it('leaves evidence for the next pass when raising fails', async () => {
      await drain();
      await registry.resolve('council', { localIds: [{ system: 'case', value: 'E-1' }], ...person('Cy') });
      await expect(
        registry.raiseUnchecked(10, () => Promise.reject(new Error('store down'))),
      ).rejects.toThrow('store down');
      expect(await drain()).toHaveLength(1);
    });
  });
});
