import { Injectable } from '@nestjs/common';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import { IdentityRegistry, isValidNhsNumber, nhsNumberProblem } from '@jigsaw/identity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Turns a `{ref}` path segment (an NHS number or a hub child id) into a hub child id. */
@Injectable()
export class ChildRefResolver {
  constructor(private readonly identity: IdentityRegistry) {}

  async resolve(ref: string): Promise<string> {
    if (UUID.test(ref)) return ref;
    if (/^\d{10}$/.test(ref)) {
      if (!isValidNhsNumber(ref)) {
        throw new JigsawError(ErrorCode.InvalidNhsNumber, 'the child reference is not a valid NHS number', [
          { field: 'ref', reason: nhsNumberProblem(ref) ?? 'is invalid' },
        ]);
      }
      const childId = await this.identity.lookup('nhs-number', ref);
      if (!childId)
        throw new JigsawError(ErrorCode.ChildNotFound, 'no child with that NHS number is known to the hub');
      return childId;
    }
    throw new JigsawError(
      ErrorCode.ValidationFailed,
      'the child reference is neither an NHS number nor a hub child id',
      [{ field: 'ref', reason: 'must be a 10-digit NHS number or a hub child id (UUID)' }],
    );
  }
}
