import { ErrorCode, JigsawError, type FieldProblem } from '@jigsaw/errors';

/** A message that will never be processable (not JSON, fails its schema): dead-lettered, not retried. */
export class PoisonMessageError extends JigsawError {
  constructor(reason: string, problems: readonly FieldProblem[] = []) {
    super(ErrorCode.PoisonMessage, reason, problems);
  }
}
