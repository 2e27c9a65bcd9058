// `npm run test:faults`: the fault and hostile-input suite. Separate from `npm test` because it stops and
// restarts its own Kafka broker and PostgreSQL server, and takes minutes.
import base from '../../jest.config.mjs';

const shared = { ...base.projects[0] };
delete shared.displayName;
delete shared.testMatch;

/** @type {import('jest').Config} */
export default {
  ...shared,
  rootDir: '../..',
  displayName: 'faults',
  testMatch: ['<rootDir>/test/faults/**/*.faults-spec.ts'],
  globalSetup: '<rootDir>/test/faults/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/faults/setup/global-teardown.ts',
  testTimeout: 300_000,
  maxWorkers: 1,
  // Senders still retrying when a test fails must not keep the run alive; the teardown has cleaned up by then.
  forceExit: true,
};
