import { isTyped, type LooseData, MISSING_EPISODE_ENDED, MISSING_EPISODE_STARTED } from '@jigsaw/contracts';
import type { RecordedEvent } from '@jigsaw/envelope';

/**
 * The episodes this source opened for the child and has not closed, by reference, with when each began,
 * in the child's records as they stand (see AgencyState: a retracted start or end is gone, a corrected one
 * carries whatever its correction put there, so its fields are read with a check).
 */
export function openEpisodes(
  records: readonly RecordedEvent[],
  source: string,
): Map<string, { missingSince: string }> {
  const open = new Map<string, { missingSince: string }>();
  for (const event of records) {
    if (event.source !== source) continue;
    if (isTyped(event, MISSING_EPISODE_STARTED)) {
      const { episodeReference, missingSince }: LooseData<typeof MISSING_EPISODE_STARTED> = event.data;
      if (typeof episodeReference === 'string' && typeof missingSince === 'string') {
        open.set(episodeReference, { missingSince });
      }
    } else if (isTyped(event, MISSING_EPISODE_ENDED)) {
      const { episodeReference }: LooseData<typeof MISSING_EPISODE_ENDED> = event.data;
      if (typeof episodeReference === 'string') open.delete(episodeReference);
    }
  }
  return open;
}
