export { ErrorCode, JigsawError, type FieldProblem } from './jigsaw-error.js';
