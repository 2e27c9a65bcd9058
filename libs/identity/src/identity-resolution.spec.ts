import { describe, expect, it } from '@jest/globals';
import {
  decideIdentity,
  distinctPairs,
  writesNothing,
  type IdentifierKey,
  type IdentitySnapshot,
  type LinkedKey,
  type StrongKind,
} from './identity-resolution.js';

const nhs = (v: string): IdentifierKey => ({ kind: 'nhs-number', hash: `nhs-${v}` });
const upn = (v: string): IdentifierKey => ({ kind: 'upn', hash: `upn-${v}` });
const local = (v: string): IdentifierKey => ({ kind: 'local', hash: `local-${v}` });
const NEW = 'new-child';

/** A snapshot: which keys are linked to which child, and what strong identifiers each child holds. */
const snapshot = (
  keys: IdentifierKey[],
  linked: Record<string, string> = {},
  holds: Record<string, StrongKind[]> = {},
  extra: Partial<IdentitySnapshot> = {},
): IdentitySnapshot => ({
  keys,
  linked: new Map(
    Object.entries(linked).map(([hash, childId]): [string, LinkedKey] => [
      hash,
      { childId, kind: keys.find((k) => k.hash === hash)?.kind ?? 'local' },
    ]),
  ),
  holds: new Map(Object.entries(holds).map(([child, kinds]) => [child, new Set(kinds)])),
  owners: new Map(),
  evidence: undefined,
  conflictOf: (key) => `conflict-${key.hash}`,
  ...extra,
});

describe('decideIdentity: the strongest identifier decides', () => {
  it('files a new child under the candidate and links every identifier to it', () => {
    const keys = [nhs('X'), upn('U'), local('P')];
    expect(decideIdentity(snapshot(keys), NEW)).toEqual({ childId: NEW, links: keys, evidence: [] });
  });

  it('files under the child of the NHS number when it is linked, linking what is new', () => {
    const decision = decideIdentity(
      snapshot([nhs('X'), local('P')], { 'nhs-X': 'A' }, { A: ['nhs-number'] }),
      NEW,
    );
    expect(decision).toEqual({ childId: 'A', links: [local('P')], evidence: [] });
    expect(writesNothing(decision)).toBe(false);
  });

  it('writes nothing for a child already known by every identifier given', () => {
    const decision = decideIdentity(snapshot([nhs('X'), local('P')], { 'nhs-X': 'A', 'local-P': 'A' }), NEW);
    expect(decision).toEqual({ childId: 'A', links: [], evidence: [] });
    expect(writesNothing(decision)).toBe(true);
  });

  it('learns an NHS number through a local id whose child has none', () => {
    expect(decideIdentity(snapshot([nhs('Y'), local('P')], { 'local-P': 'A' }, {}), NEW)).toEqual({
      childId: 'A',
      links: [nhs('Y')],
      evidence: [],
    });
  });

  it('never lets a local id carry a second NHS number to a child: a new child and a conflict on both', () => {
    const decision = decideIdentity(
      snapshot([nhs('Y'), local('P')], { 'local-P': 'A' }, { A: ['nhs-number'] }),
      NEW,
    );
    expect(decision).toEqual({
      childId: NEW,
      links: [nhs('Y')],
      evidence: [
        { hash: 'conflict-local-P', childId: NEW, kind: 'identifier-conflict' },
        { hash: 'conflict-local-P', childId: 'A', kind: 'identifier-conflict' },
      ],
    });
  });

  it('never lets a UPN carry a second NHS number, nor a local id a second UPN', () => {
    expect(
      decideIdentity(snapshot([nhs('Y'), upn('U')], { 'upn-U': 'A' }, { A: ['nhs-number', 'upn'] }), NEW)
        .childId,
    ).toBe(NEW);
    expect(
      decideIdentity(snapshot([upn('V'), local('P')], { 'local-P': 'A' }, { A: ['upn'] }), NEW).childId,
    ).toBe(NEW);
    // A child with a UPN but no NHS number may learn one through it.
    expect(
      decideIdentity(snapshot([nhs('Y'), upn('U')], { 'upn-U': 'A' }, { A: ['upn'] }), NEW).childId,
    ).toBe('A');
    // A UPN may file with a child that holds an NHS number but no UPN.
    expect(
      decideIdentity(snapshot([upn('V'), local('P')], { 'local-P': 'A' }, { A: ['nhs-number'] }), NEW)
        .childId,
    ).toBe('A');
  });

  it('leaves a weaker identifier linked to another child where it is, and notes the conflict', () => {
    const decision = decideIdentity(
      snapshot([nhs('X'), local('P'), local('Q')], { 'nhs-X': 'A', 'local-P': 'B', 'local-Q': 'A' }),
      NEW,
    );
    expect(decision).toEqual({
      childId: 'A',
      links: [],
      evidence: [
        { hash: 'conflict-local-P', childId: 'A', kind: 'identifier-conflict' },
        { hash: 'conflict-local-P', childId: 'B', kind: 'identifier-conflict' },
      ],
    });
  });

  it('notes evidence only where its child does not hold it yet, and only once', () => {
    const keys = [nhs('X'), local('P')];
    const owners = new Map([
      ['conflict-local-P', new Set(['B'])],
      ['name-dob-postcode', new Set(['A'])],
    ]);
    expect(
      decideIdentity(
        snapshot(keys, { 'nhs-X': 'A', 'local-P': 'B' }, {}, { owners, evidence: 'name-dob-postcode' }),
        NEW,
      ).evidence,
    ).toEqual([{ hash: 'conflict-local-P', childId: 'A', kind: 'identifier-conflict' }]);
    expect(
      decideIdentity(snapshot([nhs('X')], {}, {}, { evidence: 'name-dob-postcode' }), NEW).evidence,
    ).toEqual([{ hash: 'name-dob-postcode', childId: NEW, kind: 'name-birth-date-postcode' }]);
    const twice = decideIdentity(
      snapshot([nhs('X'), local('P'), local('P')], { 'nhs-X': 'A', 'local-P': 'B' }),
      NEW,
    ).evidence;
    expect(twice).toHaveLength(2);
  });

  it('needs at least one identifier', () => {
    expect(() => decideIdentity(snapshot([]), NEW)).toThrow(/NHS number, a UPN or a local id/);
  });
});

describe('distinctPairs', () => {
  it('keeps each pair of children once, in whichever row it first appears', () => {
    const rows = [
      { childId: 'b', peers: ['a'], tag: 1 },
      { childId: 'a', peers: ['b', 'c'], tag: 2 },
      { childId: 'c', peers: ['c', 'a', 'b'], tag: 3 },
    ];
    expect(distinctPairs(rows)).toEqual([
      { childId: 'b', peers: ['a'], tag: 1 },
      { childId: 'a', peers: ['c'], tag: 2 },
      { childId: 'c', peers: ['b'], tag: 3 },
    ]);
  });
});
