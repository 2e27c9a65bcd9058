import { practitionerToken, type PractitionerClaims } from '@jigsaw/testing';
import { postJson, type JsonResponse } from './http.js';

/** The child by NHS number, or `{ upn }`. */
type ChildNamed = string | { upn: string };

function postClaim(viewUrl: string, claims: PractitionerClaims, child: ChildNamed): Promise<JsonResponse> {
  const purpose = claims.purposes[0]!;
  const named = typeof child === 'string' ? { nhsNumber: child } : child;
  return postJson(
    `${viewUrl}/v1/children/access-claims?purpose=${purpose}`,
    { ...named, purpose, reason: 'Reading what partners shared about this child, as the test requires.' },
    { authorization: `Bearer ${practitionerToken(claims)}` },
  );
}

/**
 * A practitioner whose organisation has no relationship with the child claims access (break-glass), as
 * the tests of what each agency sees need: the claim opens the child to them for 24 hours, and is recorded.
 */
export async function claimAccess(
  viewUrl: string,
  claims: PractitionerClaims,
  nhsNumber: string,
): Promise<void> {
  const response = await postClaim(viewUrl, claims, nhsNumber);
  if (response.status !== 201) {
    throw new Error(
      `claiming access for ${claims.sub} answered ${response.status}: ${JSON.stringify(response.body)}`,
    );
  }
}

/**
 * As `claimAccess`, while the hub may not know the child yet: whether the claim was accepted. The claim
 * answers alike whether or not the hub knows the child, so only the caller's next read tells whether it
 * opened the child: callers poll that read, claiming again while it answers 404.
 */
export async function claimAccessOnceKnown(
  viewUrl: string,
  claims: PractitionerClaims,
  child: ChildNamed,
): Promise<boolean> {
  return (await postClaim(viewUrl, claims, child)).status === 201;
}
