import { REFERRAL_DECIDED, REFERRAL_RECEIVED } from '@jigsaw/contracts';
import type { FieldProblem } from '@jigsaw/errors';
import { notInFuture, type EventTypeDefinition } from '@jigsaw/ingest';

/** Source of referral, as coded in the Children in Need census. */
export const REFERRAL_SOURCES: Readonly<Record<string, string>> = {
  '1A': 'an individual',
  '1B': 'a family member, relative or carer',
  '1C': 'an acquaintance',
  '1D': 'the child',
  '2A': 'a school',
  '2B': 'education services',
  '3A': 'a GP',
  '3B': 'a health visitor',
  '3C': 'a school nurse',
  '3D': 'other primary health services',
  '3E': 'an emergency department',
  '3F': 'other health services',
  '4': 'housing',
  '5A': 'social care',
  '5B': 'other council services (internal)',
  '5C': 'other council services (external)',
  '5D': 'early help',
  '6': 'the police',
  '7': 'another legal agency',
  '8': 'another source',
  '9': 'an anonymous source',
  '10': 'an unknown source',
};

/** Primary need, as coded in the Children in Need census. */
export const PRIMARY_NEEDS: Readonly<Record<string, string>> = {
  N0: 'not stated',
  N1: 'abuse or neglect',
  N2: "child's disability or illness",
  N3: 'parental disability or illness',
  N4: 'family in acute stress',
  N5: 'family dysfunction',
  N6: 'socially unacceptable behaviour',
  N7: 'low income',
  N8: 'absent parenting',
  N9: 'cases other than children in need',
};

export const REFERRAL_DECISIONS = [
  'no-further-action',
  'early-help',
  'assessment',
  'strategy-discussion',
  'section-47',
] as const;

const sameTime = (a: unknown, b: string): boolean => typeof a === 'string' && Date.parse(a) === Date.parse(b);

export const referralReceived: EventTypeDefinition<typeof REFERRAL_RECEIVED> = {
  type: REFERRAL_RECEIVED,
  version: 1,
  rules: ({ data }, { now }) => notInFuture('data.receivedAt', data.receivedAt, now),
};

export const referralDecided: EventTypeDefinition<typeof REFERRAL_DECIDED> = {
  type: REFERRAL_DECIDED,
  version: 1,
  rules: ({ data }, { state, now }) => {
    const problems: FieldProblem[] = notInFuture('data.decidedAt', data.decidedAt, now);
    if (Date.parse(data.decidedAt) < Date.parse(data.receivedAt)) {
      problems.push({ field: 'data.decidedAt', reason: 'must not be before data.receivedAt' });
    }
    const of = (type: string): boolean =>
      state.records.some(
        (e) => e.type === type && sameTime((e.data as { receivedAt?: unknown }).receivedAt, data.receivedAt),
      );
    if (!of(REFERRAL_RECEIVED)) {
      problems.push({
        field: 'data.receivedAt',
        reason: `must be the receivedAt of a ${REFERRAL_RECEIVED} in this child's history`,
      });
    } else if (of(REFERRAL_DECIDED)) {
      problems.push({ field: 'data.receivedAt', reason: 'names a referral that was already decided' });
    }
    return problems;
  },
};
