import type { PoolClient } from '@jigsaw/database';
import type { RecordedEvent } from '@jigsaw/envelope';
import type { Projection } from '@jigsaw/projection';
import { ACCESS_CLAIMED, isTyped } from '@jigsaw/contracts';

/**
 * The data protection officers' inbox of self-claims: one row per organisation each `hub.access-claimed`
 * was reported to. A read model like any other: replay and rebuild make it again from the claims.
 */
export const accessClaimsProjection: Projection = {
  name: 'access-claims',
  async apply(tx: PoolClient, event: RecordedEvent): Promise<void> {
    if (!isTyped(event, ACCESS_CLAIMED)) return;
    const { data } = event;
    for (const organisation of data.reportedTo) {
      await tx.query(
        `INSERT INTO access_claims (claim_id, reported_to, child_id, claimant, purpose, reason, claimed_at, until)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
        [
          event.id,
          organisation,
          data.childId,
          JSON.stringify(data.claimant),
          data.purpose,
          data.reason,
          data.claimedAt,
          data.until,
        ],
      );
    }
  },
};
