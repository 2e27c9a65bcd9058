import { ErrorCode, JigsawError } from '@jigsaw/errors';

export class StreamVersionConflictError extends JigsawError {
  constructor(
    readonly streamId: string,
    readonly expected: string,
    readonly actual: number,
  ) {
    super(
      ErrorCode.StreamVersionConflict,
      `the stream has changed since it was read: expected version ${expected}, found ${actual}`,
    );
  }
}

/** Another event from the same source with the same id is already stored. */
export class DuplicateEventError extends JigsawError {
  constructor(
    readonly source: string,
    readonly id: string,
  ) {
    super(ErrorCode.DuplicateEventConflict, `an event with id ${id} from this source is already stored`);
  }
}

/** A multi-stream append found some streams moved since they were read: nothing was written. */
export class StreamsConflictError extends JigsawError {
  constructor(readonly streamIds: readonly string[]) {
    super(
      ErrorCode.StreamVersionConflict,
      `${streamIds.length} of the streams have changed since they were read: nothing was written`,
    );
  }
}
