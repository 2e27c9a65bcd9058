// The problem+json schema and the routes' problem answers are `@jigsaw/http`'s (`ApiProblems`).
export { PROBLEM_SCHEMA } from '@jigsaw/http';
