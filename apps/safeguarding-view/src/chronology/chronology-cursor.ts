import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { canonicalJson } from '@jigsaw/envelope';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import type { Viewer } from '@jigsaw/sharing';
import type { ChronologyCursor, ChronologyPageRequest } from './chronology-query.js';

/** What a cursor was issued for: a page of this child, for this viewer, with these filters. */
export interface CursorBinding {
  childId: string;
  viewer: Viewer;
  filters: Omit<ChronologyPageRequest, 'limit' | 'after'>;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

const badCursor = (): JigsawError =>
  new JigsawError(ErrorCode.ValidationFailed, 'invalid input: cursor', [
    {
      field: 'cursor',
      reason: 'is not a cursor this service gave out for this page; start again without one',
    },
  ]);

/** The binding as bytes: the additional data the cursor is authenticated with. */
const boundTo = ({ childId, viewer, filters }: CursorBinding): Buffer =>
  Buffer.from(
    canonicalJson({
      childId,
      viewer: [viewer.userId, viewer.organisation, viewer.agency, viewer.role, viewer.purpose],
      filters,
    }),
    'utf8',
  );

/**
 * Opaque chronology cursors: the position (when the last entry happened and its key) sealed with
 * AES-256-GCM, authenticated together with the child, the viewer and the filters. A holder learns
 * nothing from it (the time an entry happened can be withheld from them), and a forged, altered or
 * replayed-elsewhere cursor is refused.
 */
export class ChronologyCursors {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'jigsaw', 'chronology cursor', 32));
  }

  seal(position: ChronologyCursor, binding: CursorBinding): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(boundTo(binding));
    const sealed = Buffer.concat([cipher.update(JSON.stringify(position), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
  }

  /** The position a cursor holds; 400 naming `cursor` unless this service sealed it for this binding. */
  open(text: string, binding: CursorBinding): ChronologyCursor {
    const bytes = Buffer.from(text, 'base64url');
    if (bytes.length <= IV_BYTES + TAG_BYTES || bytes.toString('base64url') !== text) throw badCursor();
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(boundTo(binding));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const plain = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as ChronologyCursor;
    } catch {
      throw badCursor();
    }
  }
}
