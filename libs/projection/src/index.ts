export { eventKeyOf, type Projection } from './projection.js';
export { appliedEventsMigrations, ProjectionRunner } from './projection-runner.js';
export {
  applyBatch,
  applyBatchInLanes,
  applyEvents,
  applyFresh,
  laneOf,
  rebuild,
  type RebuildProgress,
} from './rebuild.js';
