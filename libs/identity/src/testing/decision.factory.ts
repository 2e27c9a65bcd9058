import {
  CHILDREN_MERGED,
  CHILDREN_SPLIT,
  identityEvent,
  pairStreamChild,
  UNBORN_LINKED,
  type Decision,
  type IdentityEvent,
} from '../identity.events.js';

/** A social worker's identity decision, with its reason. */
export function aSocialWorkerDecision(reason: string): Decision {
  return {
    decidedBy: {
      sub: 'sw-1',
      organisation: 'urn:jigsaw:org:council:leeds',
      agency: 'council',
      role: 'social-worker',
    },
    purpose: 'safeguarding',
    reason,
  };
}

const decision = aSocialWorkerDecision('Checked with both agencies.');

/** A merge (or, `unborn`, a birth's link) of `linkedId` into `childId`, on the pair's stream as recorded. */
export function aLinkEvent(
  linkId: string,
  childId: string,
  linkedId: string,
  now: Date,
  unborn = false,
): IdentityEvent {
  const data = { linkId, childId, linkedId, ...decision, linkedAt: now.toISOString() };
  const stream = pairStreamChild(childId, linkedId);
  return unborn
    ? identityEvent(UNBORN_LINKED, linkId, stream, data, now)
    : identityEvent(CHILDREN_MERGED, linkId, stream, data, now);
}

/** The split of that link. */
export function aSplitEvent(
  linkId: string,
  childId: string,
  linkedId: string,
  now: Date,
  kind: 'merge' | 'unborn-to-born' = 'merge',
): IdentityEvent {
  return identityEvent(
    CHILDREN_SPLIT,
    `${linkId}-split`,
    pairStreamChild(childId, linkedId),
    { linkId, kind, childId, linkedId, ...decision, splitAt: now.toISOString() },
    now,
  );
}
