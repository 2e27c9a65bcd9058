import { ErrorCode, JigsawError } from '@jigsaw/errors';
import type { Viewer } from '@jigsaw/sharing';

/** Refuses with 403 anyone but a data protection officer, naming what only they review. */
export function mustBeDataProtectionOfficer(viewer: Viewer, reviews: string): void {
  if (viewer.role === 'data-protection-officer') return;
  throw new JigsawError(ErrorCode.Forbidden, `only a data protection officer reviews ${reviews}`, [
    { field: 'role', reason: 'must be data-protection-officer' },
  ]);
}
