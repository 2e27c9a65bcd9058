import type { RecordedEvent } from '@jigsaw/envelope';

const STARTED = 'police.missing-episode-started';
const ENDED = 'police.missing-episode-ended';

/**
 * The episodes this source opened for the child and has not closed, by reference, with when each began,
 * in the child's records as they stand (see AgencyState: a retracted start or end is gone).
 */
export function openEpisodes(
  records: readonly RecordedEvent[],
  source: string,
): Map<string, { missingSince: string }> {
  const open = new Map<string, { missingSince: string }>();
  for (const event of records) {
    if (event.source !== source) continue;
    const data = event.data as { episodeReference?: unknown; missingSince?: unknown };
    if (typeof data.episodeReference !== 'string') continue;
    if (event.type === STARTED && typeof data.missingSince === 'string') {
      open.set(data.episodeReference, { missingSince: data.missingSince });
    } else if (event.type === ENDED) {
      open.delete(data.episodeReference);
    }
  }
  return open;
}
