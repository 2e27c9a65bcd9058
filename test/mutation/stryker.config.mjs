// StrykerJS over one target at a time (STRYKER_TARGET, set by ./run.mjs).
import { targets, thresholds } from './targets.mjs';

const name = process.env['STRYKER_TARGET'] ?? '';
const target = targets[name];
if (!target) throw new Error(`STRYKER_TARGET must be one of: ${Object.keys(targets).join(', ')}`);
// STRYKER_MUTATE=<glob>[,<glob>...] narrows a run to some of the target's files (the whole suite still runs).
const narrowed = (process.env['STRYKER_MUTATE'] ?? '').split(',').filter((glob) => glob.length > 0);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  jest: { configFile: 'test/mutation/jest.config.mjs', enableFindRelatedTests: false },
  checkers: ['typescript'],
  // Type-check mutants against the target and what it imports, not the whole repository.
  tsconfigFile: `test/mutation/tsconfig.${name}.json`,
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  mutate: narrowed.length > 0 ? narrowed : target.mutate,
  ignorePatterns: ['dist', '.data', 'test-artifacts', 'reports', 'bench', 'test/faults/hostile'],
  tempDirName: '.stryker-tmp',
  concurrency: 2,
  thresholds,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
};
