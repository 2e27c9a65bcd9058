import { Injectable } from '@nestjs/common';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import { IdentityRegistry, isValidNhsNumber, nhsNumberProblem } from '@jigsaw/identity';
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

  async resolve(ref: string): Promise<string> {
    if (UUID.test(ref)) return this.links.canonicalOf(ref);
    if (/^\d{10}$/.test(ref)) {
      if (!isValidNhsNumber(ref)) {
        throw new JigsawError(ErrorCode.InvalidNhsNumber, 'the child reference is not a valid NHS number', [
          { field: 'ref', reason: nhsNumberProblem(ref) ?? 'is invalid' },
        ]);
      }
      const found = await this.identity.lookupStatus('nhs-number', ref);
      if (!found)
        throw new JigsawError(ErrorCode.ChildNotFound, 'no child with that NHS number is known to the hub');
      // A retired number (adoption) must not lead from the birth identity to the child's new one.
      if (found.retired) throw retiredNumber();
      return this.links.canonicalOf(found.childId);
    }
    throw new JigsawError(
      ErrorCode.ValidationFailed,
      'the child reference is neither an NHS number nor a hub child id',
      [{ field: 'ref', reason: 'must be a 10-digit NHS number or a hub child id (UUID)' }],
    );
  }

  /** Every hub child id whose records are this child's now (merges, births), for `child_id = ANY(...)`. */
  membersOf(childId: string): Promise<string[]> {
    return this.links.membersOf(childId);
  }
}
