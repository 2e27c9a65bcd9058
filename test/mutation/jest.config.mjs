// One flat Jest config for StrykerJS (its jest-runner does not follow `projects`): the unit tier only, for
// the library named by STRYKER_TARGET (see ./targets.mjs).
import base from '../../jest.config.mjs';
import { targets } from './targets.mjs';

const unit = base.projects.find((project) => project.displayName === 'unit');
const target = targets[process.env['STRYKER_TARGET'] ?? ''];
if (!unit || !target) throw new Error(`STRYKER_TARGET must be one of: ${Object.keys(targets).join(', ')}`);

const shared = { ...unit };
delete shared.displayName;
delete shared.testMatch;

/** @type {import('jest').Config} */
export default {
  ...shared,
  rootDir: '../..',
  testTimeout: base.testTimeout,
  testMatch: target.tests.map((glob) => `<rootDir>/${glob}`),
};
