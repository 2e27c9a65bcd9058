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
 * As `claimAccess`, while the hub may not know the child yet: whether the child is now open to the
 * claimant. The claim answers alike for a known and an unknown child, so the finding read tells.
 */
export async function claimAccessOnceKnown(
  viewUrl: string,
  claims: PractitionerClaims,
  child: ChildNamed,
): Promise<boolean> {
  if ((await postClaim(viewUrl, claims, child)).status !== 201) return false;
  const purpose = claims.purposes[0]!;
  const query = typeof child === 'string' ? `nhsNumber=${child}` : `upn=${child.upn}`;
  const found = await fetch(`${viewUrl}/v1/children?${query}&purpose=${purpose}`, {
    headers: { authorization: `Bearer ${practitionerToken(claims)}` },
  });
  return found.status === 200;
}
