import { describe, expect, it } from '@jest/globals';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import { principalFromClaims, type Principal } from '@jigsaw/auth';
import { auditCallerOf, type AuditCaller } from './audit-caller.js';
import { requireCustodian } from './audit-policy.js';

const LEEDS = 'urn:jigsaw:org:council:leeds';
const councils = new Set([LEEDS]);
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

describe('who reads a whole access log', () => {
  it.each([
    [
      'a data protection officer of any agency',
      caller({
        role: 'data-protection-officer',
        agency: 'health',
        organisation: 'urn:jigsaw:org:health:rj1',
      }),
    ],
    ['a review panel', caller({ role: 'review-panel' })],
    ["an auditor of the child's council", caller({})],
  ])('lets in %s', (_who, who) => {
    expect(() => requireCustodian(who, councils, 'the access log')).not.toThrow();
  });

  it.each([
    ['an auditor of another council', caller({ organisation: 'urn:jigsaw:org:council:york' })],
    [
      'a school auditor',
      caller({ agency: 'education', organisation: 'urn:jigsaw:org:education:school-100001' }),
    ],
  ])('refuses %s with 403 naming the role', (_who, who) => {
    const error = refused(() => requireCustodian(who, councils, 'the access log'));
    expect(error.code).toBe(ErrorCode.Forbidden);
    expect(error.problems).toEqual([
      { field: 'role', reason: expect.stringContaining('data-protection-officer') },
    ]);
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
    for (const role of ['auditor', 'data-protection-officer', 'review-panel']) {
      expect(auditCallerOf(principal({ role, purposes: ['audit'] })).role).toBe(role);
    }
  });

  it('refuses practitioners, agency systems, and auditors without the audit purpose', () => {
    expect(
      refused(() =>
        auditCallerOf(principal({ role: 'designated-safeguarding-lead', purposes: ['safeguarding'] })),
      ).problems,
    ).toEqual([{ field: 'role', reason: 'must be one of auditor, data-protection-officer, review-panel' }]);
    expect(refused(() => auditCallerOf(principal({ role: 'agency-system' }))).code).toBe(ErrorCode.Forbidden);
    expect(
      refused(() => auditCallerOf(principal({ role: 'auditor', purposes: ['safeguarding'] }))).problems,
    ).toEqual([{ field: 'purposes', reason: 'must include audit' }]);
  });
});
