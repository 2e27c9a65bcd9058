import { Injectable } from '@nestjs/common';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import { IdentityRegistry, isValidNhsNumber, nhsNumberProblem, upnProblem } from '@jigsaw/identity';
import { ChildLinks } from '../identity/child-links.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function retiredNumber(): JigsawError {
  return new JigsawError(
    ErrorCode.IdentifierRetired,
    'that NHS number was retired when the child was renumbered: it finds nobody. Use the current number',
  );
}

/**
 * Turns a `{ref}` path segment (an NHS number or a hub child id) into the child it names now: the
 * canonical hub child id, whose members every read model reads.
 */
@Injectable()
export class ChildRefResolver {
  constructor(
    private readonly identity: IdentityRegistry,
    private readonly links: ChildLinks,
  ) {}

  resolve(ref: string): Promise<string> {
    return resolveChildRef(this.identity, this.links, ref);
  }

  /**
   * The hub child id a reference names, and whether it is a retired number; undefined for a number the hub
   * never heard of. A hub child id names itself: whether the hub holds anything is for the reader to find.
   */
  named(ref: string): Promise<{ childId: string; retired: boolean } | undefined> {
    return namedBy(this.identity, ref);
  }

  /**
   * As `named`, then `canonicalWithMembers` of the child it names, in one round trip: the canonical id and
   * its members, and whether the reference is a retired number; undefined for a number never heard of.
   */
  async namedWithMembers(
    ref: string,
  ): Promise<{ childId: string; members: string[]; retired: boolean } | undefined> {
    if (kindOf(ref) === 'hub-child-id') return { ...(await this.canonicalWithMembers(ref)), retired: false };
    return this.links.identifiedWithMembers(this.identity.identifiedQuery('nhs-number', ref));
  }

  canonicalOf(childId: string): Promise<string> {
    return this.links.canonicalOf(childId);
  }

  /** The canonical id and its members, in one round trip. */
  canonicalWithMembers(childId: string): Promise<{ childId: string; members: string[] }> {
    return this.links.canonicalWithMembers(childId);
  }

  /** Every hub child id whose records are this child's now (merges, births), for `child_id = ANY(...)`. */
  membersOf(childId: string): Promise<string[]> {
    return this.links.membersOf(childId);
  }
}

/** The hub child id a reference names (`ChildRefResolver.named`). */
async function namedBy(
  identity: IdentityRegistry,
  ref: string,
): Promise<{ childId: string; retired: boolean } | undefined> {
  return kindOf(ref) === 'hub-child-id'
    ? { childId: ref, retired: false }
    : identity.lookupStatus('nhs-number', ref);
}

/**
 * The canonical hub child id a reference (an NHS number or a hub child id) names now, the child's links
 * read through `links`: the view's read model of them, or identity's events in the store (the audit's).
 */
export async function resolveChildRef(
  identity: IdentityRegistry,
  links: { canonicalOf(childId: string): Promise<string> },
  ref: string,
): Promise<string> {
  const named = await namedBy(identity, ref);
  if (!named)
    throw new JigsawError(ErrorCode.ChildNotFound, 'no child with that identifier is known to the hub');
  // A retired number (adoption) must not lead from the birth identity to the child's new one.
  if (named.retired) throw retiredNumber();
  return links.canonicalOf(named.childId);
}

/** Which kind of reference `ref` is, or the error naming the field and why it is neither. */
function kindOf(ref: string): 'hub-child-id' | 'nhs-number' {
  if (UUID.test(ref)) return 'hub-child-id';
  if (/^\d{10}$/.test(ref)) {
    if (!isValidNhsNumber(ref)) {
      throw new JigsawError(ErrorCode.InvalidNhsNumber, 'the child reference is not a valid NHS number', [
        { field: 'ref', reason: nhsNumberProblem(ref) ?? 'is invalid' },
      ]);
    }
    return 'nhs-number';
  }
  throw new JigsawError(
    ErrorCode.ValidationFailed,
    'the child reference is neither an NHS number nor a hub child id',
    [{ field: 'ref', reason: 'must be a 10-digit NHS number or a hub child id (UUID)' }],
  );
}

/** The one identifier a request names a child by: an NHS number or a UPN, never both or neither. */
export function childIdentifierOf(
  nhsNumber: unknown,
  upn: unknown,
): { kind: 'nhs-number' | 'upn'; value: string } {
  if ((nhsNumber === undefined) === (upn === undefined)) {
    throw new JigsawError(ErrorCode.ValidationFailed, 'name the child by exactly one identifier', [
      { field: 'nhsNumber', reason: 'give either nhsNumber or upn, not both or neither' },
    ]);
  }
  if (nhsNumber !== undefined) {
    const problem = nhsNumberProblem(nhsNumber);
    if (problem)
      throw new JigsawError(ErrorCode.InvalidNhsNumber, 'not a valid NHS number', [
        { field: 'nhsNumber', reason: problem },
      ]);
    return { kind: 'nhs-number', value: nhsNumber as string };
  }
  const problem = upnProblem(upn);
  if (problem)
    throw new JigsawError(ErrorCode.InvalidUpn, 'not a valid UPN', [{ field: 'upn', reason: problem }]);
  return { kind: 'upn', value: upn as string };
}
