import type { RecordedEvent } from '@jigsaw/envelope';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import type { Decider } from '@jigsaw/event-store';
import { reviewClosed, reviewOpened, reviewsOf } from '@jigsaw/view-model';

export type ReviewCommand =
  | ({ type: 'open' } & Parameters<typeof reviewOpened>[0])
  | ({ type: 'close' } & Parameters<typeof reviewClosed>[0]);

/** A child's reviews stream: a reference is opened once, and an open review is closed once. */
export const reviewsDecider = {
  initialState: [] as readonly RecordedEvent[],
  evolve: (history, event) => [...history, event],
  decide: (history, command) => {
    const review = reviewsOf(history).find((r) => r.reference === command.reference);
    switch (command.type) {
      case 'open':
        if (review) {
          throw new JigsawError(
            ErrorCode.DuplicateEventConflict,
            'a review with that reference is already recorded',
            [{ field: 'reference', reason: 'is already used for this child' }],
          );
        }
        return [reviewOpened(command)];
      case 'close':
        if (!review) {
          throw new JigsawError(ErrorCode.NotFound, 'no review with that reference is open for the child');
        }
        if (review.closedAt !== undefined) {
          throw new JigsawError(ErrorCode.DuplicateEventConflict, 'the review is already closed', [
            { field: 'reference', reason: 'was closed at ' + review.closedAt },
          ]);
        }
        return [reviewClosed(command, review.panelOrganisation)];
      default: {
        const _exhaustive: never = command;
        return _exhaustive;
      }
    }
  },
} satisfies Decider<readonly RecordedEvent[], ReviewCommand, RecordedEvent>;
