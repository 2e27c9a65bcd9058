import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { aNhsNumber, aUpn, createTestDatabase, type TestDatabase } from '@jigsaw/testing';
import { IDENTITY_MIGRATIONS, IdentityRegistry, type ChildIdentifiers } from './identity-registry.js';

/**
 * Properties of the registry against the real PostgreSQL: random sightings from several agencies with
 * overlapping NHS numbers, UPNs and local ids, some of them concurrent. Each run gets a registry with its
 * own secret, so its keys never meet another run's.
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 1_000);
/** A thousand runs take a while on a loaded machine. */
const TIMEOUT = 900_000;
const AGENCIES = ['police', 'health', 'education'] as const;
const SYSTEM = 'person-id';
const NHS = [aNhsNumber(), aNhsNumber(), aNhsNumber()];
const UPN = [aUpn(), aUpn()];
const LOCAL = ['P-1', 'P-2'];

interface Sighting {
  agency: (typeof AGENCIES)[number];
  subject: ChildIdentifiers;
}

const sighting: fc.Arbitrary<Sighting> = fc
  .record({
    agency: fc.constantFrom(...AGENCIES),
    nhsNumber: fc.option(fc.constantFrom(...NHS), { nil: undefined }),
    upn: fc.option(fc.constantFrom(...UPN), { nil: undefined }),
    locals: fc.subarray(LOCAL),
  })
  .filter((s) => s.nhsNumber !== undefined || s.upn !== undefined || s.locals.length > 0)
  .map(({ agency, nhsNumber, upn, locals }) => ({
    agency,
    subject: {
      ...(nhsNumber ? { nhsNumber } : {}),
      ...(upn ? { upn } : {}),
      ...(locals.length > 0 ? { localIds: locals.map((value) => ({ system: SYSTEM, value })) } : {}),
    },
  }));

/** Sightings in waves: each wave's sightings race (concurrent first sightings), waves follow one another. */
const waves = <T>(item: fc.Arbitrary<T>) =>
  fc.array(fc.array(item, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 });

/** A sighting's keys as strings, strongest first. */
const keysOf = ({ agency, subject }: Sighting): string[] => [
  ...(subject.nhsNumber ? [`nhs:${subject.nhsNumber}`] : []),
  ...(subject.upn ? [`upn:${subject.upn}`] : []),
  ...(subject.localIds ?? []).map((id) => `local:${agency}:${id.value}`),
];

const pairOf = (a: string, b: string): string => [a, b].sort().join('|');

describe('IdentityRegistry properties', () => {
  let db: TestDatabase;
  let run = 0;

  beforeAll(async () => {
    db = await createTestDatabase([IDENTITY_MIGRATIONS]);
  });
  afterAll(async () => db.drop());

  /** A registry of its own for one run, on empty tables: what earlier runs left would only slow each run. */
  const fresh = async (): Promise<IdentityRegistry> => {
    await db.pool.query('DELETE FROM identity.child_evidence; DELETE FROM identity.child_identifiers');
    return new IdentityRegistry(db.pool, `property-run-${run++}`);
  };

  /** Runs the waves; each sighting with the hub child id it filed under, in the order given. */
  const sight = async (registry: IdentityRegistry, plan: Sighting[][]) => {
    const filed: { sighting: Sighting; childId: string }[] = [];
    for (const wave of plan) {
      const ids = await Promise.all(wave.map((s) => registry.resolve(s.agency, s.subject)));
      wave.forEach((s, i) => filed.push({ sighting: s, childId: ids[i]! }));
    }
    return filed;
  };

  /** Every key's child now (links never move, so this is also the child it had when first linked). */
  const childOfKey = async (registry: IdentityRegistry, key: string): Promise<string | undefined> => {
    const [kind, ...rest] = key.split(':');
    if (kind === 'nhs') return registry.lookup('nhs-number', rest[0]!);
    if (kind === 'upn') return registry.lookup('upn', rest[0]!);
    return (await registry.lookupLocal(rest[0]!, { system: SYSTEM, value: rest[1]! }))?.childId;
  };

  /** The pairs raised from every piece of evidence not yet raised, in one pass. */
  const raisedPairs = async (registry: IdentityRegistry): Promise<string[]> => {
    const pairs: string[] = [];
    await registry.raiseUnchecked(10_000, (evidence) => {
      for (const e of evidence) for (const peer of e.peers) pairs.push(pairOf(e.childId, peer));
      return Promise.resolve();
    });
    return pairs;
  };

  it(
    'never resolves two different NHS numbers to one hub child',
    async () => {
      await fc.assert(
        fc.asyncProperty(waves(sighting), async (plan) => {
          const registry = await fresh();
          const filed = await sight(registry, plan);
          const children = new Map<string, string>();
          for (const { sighting: s, childId } of filed) {
            if (!s.subject.nhsNumber) continue;
            const known = children.get(s.subject.nhsNumber);
            expect(known ?? childId).toBe(childId);
            children.set(s.subject.nhsNumber, childId);
          }
          const distinct = [...children.values()];
          expect(new Set(distinct).size).toBe(distinct.length);
          for (const [nhs, child] of children) expect(await registry.lookup('nhs-number', nhs)).toBe(child);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'files every record under the child of its strongest identifier',
    async () => {
      await fc.assert(
        fc.asyncProperty(waves(sighting), async (plan) => {
          const registry = await fresh();
          for (const { sighting: s, childId } of await sight(registry, plan)) {
            expect(await childOfKey(registry, keysOf(s)[0]!)).toBe(childId);
          }
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'raises exactly one possible match for each pair of children that share an identifier',
    async () => {
      await fc.assert(
        fc.asyncProperty(waves(sighting), async (plan) => {
          const registry = await fresh();
          const filed = await sight(registry, plan);
          // The children that carried each key: its own child, and every child a record carrying it filed under.
          const sharers = new Map<string, Set<string>>();
          for (const { sighting: s, childId } of filed) {
            for (const key of keysOf(s)) {
              const owner = (await childOfKey(registry, key))!;
              sharers.set(key, (sharers.get(key) ?? new Set([owner])).add(childId));
            }
          }
          const expected = new Set<string>();
          for (const children of sharers.values()) {
            const list = [...children];
            list.forEach((a, i) => list.slice(i + 1).forEach((b) => expected.add(pairOf(a, b))));
          }
          const raised = await raisedPairs(registry);
          expect([...raised].sort()).toEqual([...expected].sort());
          expect(await raisedPairs(registry)).toEqual([]);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  describe('in a world where no two children share an identifier', () => {
    // Up to three children, each with its own NHS number, UPN and local ids; a sighting names some of them.
    const world = fc
      .record({
        child: fc.integer({ min: 0, max: 2 }),
        agency: fc.constantFrom(...AGENCIES),
        nhs: fc.boolean(),
        upn: fc.boolean(),
        local: fc.boolean(),
      })
      .filter((s) => s.nhs || s.upn || s.local)
      .map(({ child, agency, nhs, upn, local }): Sighting => ({
        agency,
        subject: {
          ...(nhs ? { nhsNumber: NHS[child]! } : {}),
          ...(upn && child < UPN.length ? { upn: UPN[child]! } : {}),
          ...(local || (!nhs && !(upn && child < UPN.length))
            ? { localIds: [{ system: SYSTEM, value: `C-${child}` }] }
            : {}),
        },
      }));

    /** Which sightings end up as one child once a person confirms every raised possible match. */
    const together = async (plan: Sighting[][]): Promise<boolean[][]> => {
      const registry = await fresh();
      const filed = await sight(registry, plan);
      const parent = new Map<string, string>();
      const find = (x: string): string => {
        const p = parent.get(x) ?? x;
        return p === x ? x : find(p);
      };
      for (const pair of await raisedPairs(registry)) {
        const [a, b] = pair.split('|') as [string, string];
        parent.set(find(a), find(b));
      }
      return filed.map((a) => filed.map((b) => find(a.childId) === find(b.childId)));
    };

    /** Sightings that share an identifier, directly or through others, are one child; no others are. */
    const expectedTogether = (sightings: Sighting[]): boolean[][] => {
      const parent = sightings.map((_, i) => i);
      const find = (i: number): number => (parent[i] === i ? i : find(parent[i]!));
      sightings.forEach((a, i) =>
        sightings.forEach((b, j) => {
          if (keysOf(a).some((k) => keysOf(b).includes(k))) parent[find(i)] = find(j);
        }),
      );
      return sightings.map((_, i) => sightings.map((__, j) => find(i) === find(j)));
    };

    it(
      'gives the same children whatever the order of the sightings, once raised matches are confirmed',
      async () => {
        const shuffled = waves(world).chain((plan) =>
          fc.tuple(fc.constant(plan), fc.shuffledSubarray(plan.flat(), { minLength: plan.flat().length })),
        );
        await fc.assert(
          fc.asyncProperty(shuffled, async ([plan, reordered]) => {
            const order = plan.flat();
            expect(await together(plan)).toEqual(expectedTogether(order));
            // The same sightings one at a time in another order: compared sighting by sighting.
            const again = await together(reordered.map((s) => [s]));
            const index = reordered.map((s) => order.indexOf(s));
            const back = order.map((_, i) =>
              order.map((__, j) => again[index.indexOf(i)]![index.indexOf(j)]!),
            );
            expect(back).toEqual(expectedTogether(order));
          }),
          { numRuns: RUNS },
        );
      },
      TIMEOUT,
    );
  });
});
