export { eventKeyOf, type Projection } from './projection.js';
export { appliedEventsMigrations, ProjectionRunner } from './projection-runner.js';
export { applyBatch, applyEvents, applyFresh, rebuild, type RebuildProgress } from './rebuild.js';
