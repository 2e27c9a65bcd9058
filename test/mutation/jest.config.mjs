// One flat Jest config for StrykerJS (its jest-runner does not follow `projects`): the unit tier only, for
// the library named by STRYKER_TARGET (see ./targets.mjs).
import base from '../../jest.config.mjs';
import { targets } from './targets.mjs';

const unit = base.projects.find((project) => project.displayName === 'unit');
const target = targets[process.env['STRYKER_TARGET'] ?? ''];
if (!unit || !target) throw new Error(`STRYKER_TARGET must be one of: ${Object.keys(targets).join(', ')}`);

// STRYKER_TESTS=<glob>[,<glob>...] runs only some of the target's specs: a lower bound on the score, for a
// quick measure of files whose mutants every spec would otherwise run (module-level tables).
const narrowed = (process.env['STRYKER_TESTS'] ?? '').split(',').filter((glob) => glob.length > 0);
const shared = { ...unit };
delete shared.displayName;
delete shared.testMatch;

/** @type {import('jest').Config} */
export default {
  ...shared,
  rootDir: '../..',
  testTimeout: base.testTimeout,
  testMatch: (narrowed.length > 0 ? narrowed : target.tests).map((glob) => `<rootDir>/${glob}`),
};
