import { describe, expect, it } from '@jest/globals';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import { principalFromClaims, type Principal } from '@jigsaw/auth';
import { auditCallerOf, type AuditCaller } from './audit-caller.js';
import type { Relationships, RelationshipSpan, Review } from '@jigsaw/sharing';
import { aPoliceSharingDecision } from '@jigsaw/testing';
import { aControl, anIncident } from '../testing/history.factory.js';
import { auditScopeOf, mayReplayAs, readsInScope, recordsInScope, type AuditScope } from './audit-policy.js';

const LEEDS = 'urn:jigsaw:org:council:leeds';
const YORK = 'urn:jigsaw:org:council:york';
const MET = 'urn:jigsaw:org:police:met';
const SCHOOL = 'urn:jigsaw:org:education:school-100001';
const PANEL = 'urn:jigsaw:org:council:leeds-partnership';
const NOW = new Date('2026-12-01T12:00:00Z');
const caller = (overrides: Partial<AuditCaller>): AuditCaller => ({
  sub: 'a-1',
  agency: 'council',
  organisation: LEEDS,
  role: 'auditor',
  ...overrides,
});
const refused = (fn: () => unknown): JigsawError => {
  try {
    fn();
  } catch (error) {
    return error as JigsawError;
  }
  throw new Error('expected a refusal');
};

/** The Met recorded an incident shared with councils; the school holds the child on its roll (ended in 2024). */
const relationships: Relationships = new Map<string, RelationshipSpan[]>([
  [MET, [{ basis: 'owner', from: '2026-11-20T22:41:00Z' }]],
  [LEEDS, [{ basis: 'notified', from: '2026-11-21T08:00:00Z', endedAt: '2026-11-21T08:00:00Z' }]],
  [SCHOOL, [{ basis: 'on-roll', from: '2020-09-01T00:00:00Z', endedAt: '2024-07-20' }]],
]);
const review = (overrides: Partial<Review> = {}): Review => ({
  reference: 'CSPR-2026-014',
  panelOrganisation: PANEL,
  openedAt: '2026-11-25T09:00:00Z',
  until: '2027-05-25T09:00:00Z',
  ...overrides,
});
const scopeOf = (who: AuditCaller, reviews: Review[] = []) =>
  auditScopeOf(who, { relationships, reviews }, NOW);

describe('audit scoped to the case', () => {
  it('gives a data protection officer the case of a child their organisation has or had a relationship with', () => {
    expect(scopeOf(caller({ role: 'data-protection-officer' }))).toEqual({
      kind: 'organisation',
      organisation: LEEDS,
    });
    // The roll ended more than the grace ago: the school had a relationship, so the child is still its case.
    const schoolDpo = caller({ role: 'data-protection-officer', agency: 'education', organisation: SCHOOL });
    expect(scopeOf(schoolDpo)).toEqual({ kind: 'organisation', organisation: SCHOOL });
  });

  it('gives a data protection officer of an unrelated organisation nothing', () => {
    expect(scopeOf(caller({ role: 'data-protection-officer', organisation: YORK }))).toBeUndefined();
  });

  it('gives a partnership data protection officer every organisation, reported to those related now', () => {
    expect(scopeOf(caller({ role: 'partnership-dpo', organisation: YORK }))).toEqual({
      kind: 'partnership',
      reportTo: [LEEDS, MET],
    });
  });

  it('gives an auditor only an organisation that recorded something about the child', () => {
    expect(scopeOf(caller({ agency: 'police', organisation: MET }))).toEqual({
      kind: 'own-records',
      organisation: MET,
    });
    // Leeds was told about the child, but recorded nothing: its auditor has no records of its own to read.
    expect(scopeOf(caller({}))).toBeUndefined();
  });

  it('gives a review panel the child of an open review for its organisation, and no longer', () => {
    const panel = caller({ role: 'review-panel', organisation: PANEL });
    expect(scopeOf(panel, [review()])).toEqual({ kind: 'review' });
    expect(scopeOf(panel, [])).toBeUndefined();
    expect(scopeOf(panel, [review({ panelOrganisation: YORK })])).toBeUndefined();
    expect(scopeOf(panel, [review({ closedAt: '2026-11-30T09:00:00Z' })])).toBeUndefined();
    expect(scopeOf(panel, [review({ closedAt: '2026-12-02T09:00:00Z' })])).toEqual({ kind: 'review' });
    expect(scopeOf(panel, [review({ until: '2026-12-01T12:00:00Z' })])).toBeUndefined();
    expect(scopeOf(panel, [review({ openedAt: '2026-12-02T09:00:00Z' })])).toBeUndefined();
    // A panel member is not a data protection officer: a relationship of its organisation gives it nothing.
    expect(scopeOf(caller({ role: 'review-panel' }))).toBeUndefined();
  });
});

describe('what each scope covers', () => {
  const CHILD = '0b7c6f1e-3c1a-4f55-9a55-1f3a2b4c5d6e';
  const shared = (...agencies: ('council' | 'police' | 'education')[]) =>
    aPoliceSharingDecision({ audience: agencies.map((agency) => ({ agency })) });
  const incident = anIncident(CHILD, { id: 'inc-1', sharing: shared('police', 'council', 'education') });
  const policeOnly = anIncident(CHILD, { id: 'inc-2', sharing: shared('police') });
  const withdrawn = aControl('consent-withdrawn', policeOnly, 'The parent withdrew consent');
  const leedsOwn = anIncident(CHILD, { id: 'ref-1', source: LEEDS, sharing: shared('council') });
  const records = [incident, policeOnly, withdrawn, leedsOwn].map((event) => ({ event }));
  const keys = (scope: AuditScope): string[] => recordsInScope(scope, records).map(({ event }) => event.id);

  it("covers a data protection officer's own records and what others shared with its agency", () => {
    expect(keys({ kind: 'organisation', organisation: LEEDS })).toEqual(['inc-1', 'ref-1']);
    expect(keys({ kind: 'organisation', organisation: SCHOOL })).toEqual(['inc-1']);
  });

  it("covers an auditor's own records, with the control events about them", () => {
    expect(keys({ kind: 'own-records', organisation: MET })).toEqual(['inc-1', 'inc-2', withdrawn.id]);
    expect(keys({ kind: 'own-records', organisation: LEEDS })).toEqual(['ref-1']);
  });

  it('covers everything for a partnership officer and a review panel', () => {
    const all = ['inc-1', 'inc-2', withdrawn.id, 'ref-1'];
    expect(keys({ kind: 'partnership', reportTo: [] })).toEqual(all);
    expect(keys({ kind: 'review' })).toEqual(all);
  });

  it("gives an auditor the reads of its records, cut to them, and its own organisation's reads", () => {
    const reads = [
      {
        id: 1,
        viewer: { organisation: SCHOOL },
        shown: [{ event: `${MET}#inc-1` }, { event: `${LEEDS}#ref-1` }],
      },
      { id: 2, viewer: { organisation: SCHOOL }, shown: [{ event: `${LEEDS}#ref-1` }] },
      { id: 3, viewer: { organisation: MET }, shown: [] },
    ];
    expect(readsInScope({ kind: 'own-records', organisation: MET }, reads)).toEqual([
      { id: 1, viewer: { organisation: SCHOOL }, shown: [{ event: `${MET}#inc-1` }] },
      { id: 3, viewer: { organisation: MET }, shown: [] },
    ]);
    expect(readsInScope({ kind: 'organisation', organisation: LEEDS }, reads)).toEqual(reads);
  });

  it("lets only partnership officers and panels replay another organisation's view", () => {
    expect(mayReplayAs({ kind: 'review' }, MET)).toBe(true);
    expect(mayReplayAs({ kind: 'partnership', reportTo: [] }, MET)).toBe(true);
    expect(mayReplayAs({ kind: 'organisation', organisation: LEEDS }, MET)).toBe(false);
    expect(mayReplayAs({ kind: 'organisation', organisation: LEEDS }, LEEDS)).toBe(true);
    expect(mayReplayAs({ kind: 'own-records', organisation: LEEDS }, MET)).toBe(false);
  });
});

describe('auditCallerOf', () => {
  const principal = (claims: Record<string, unknown>): Principal => {
    const p = principalFromClaims({
      sub: 'x-1',
      agency: 'education',
      organisation: 'urn:jigsaw:org:education:school-100001',
      ...claims,
    });
    if ('invalid' in p) throw new Error(p.invalid);
    return p;
  };

  it('lets auditing roles with the audit purpose in', () => {
    for (const role of ['auditor', 'data-protection-officer', 'review-panel', 'partnership-dpo']) {
      expect(auditCallerOf(principal({ role, purposes: ['audit'] })).role).toBe(role);
    }
  });

  it('refuses practitioners, agency systems, and auditors without the audit purpose', () => {
    expect(
      refused(() =>
        auditCallerOf(principal({ role: 'designated-safeguarding-lead', purposes: ['safeguarding'] })),
      ).problems,
    ).toEqual([
      {
        field: 'role',
        reason: 'must be one of auditor, data-protection-officer, review-panel, partnership-dpo',
      },
    ]);
    expect(refused(() => auditCallerOf(principal({ role: 'agency-system' }))).code).toBe(ErrorCode.Forbidden);
    expect(
      refused(() => auditCallerOf(principal({ role: 'auditor', purposes: ['safeguarding'] }))).problems,
    ).toEqual([{ field: 'purposes', reason: 'must include audit' }]);
  });
});
