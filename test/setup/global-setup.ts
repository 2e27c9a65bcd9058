// Starts what the integration and end-to-end tests need: Kafka (unless KAFKA_BROKERS names a cluster)
// and a PostgreSQL server (DATABASE_URL, the local one, or embedded). Each test file makes its own database.
// End-to-end tests run the services as built, so the setup builds first.
import { execFileSync } from 'node:child_process';
import { ensureKafka } from '../../infra/kafka/kafka.mjs';
import { ensurePostgres } from '../../infra/postgres.mjs';

interface ProjectConfig {
  rootDir: string;
}

export default async function globalSetup(_global: unknown, project: ProjectConfig): Promise<void> {
  if (!process.env['TEST_DATABASE_URL'] || !process.env['KAFKA_BROKERS']) {
    const [brokers, url] = await Promise.all([ensureKafka(), ensurePostgres({ database: 'jigsaw_test' })]);
    process.env['KAFKA_BROKERS'] = brokers;
    process.env['TEST_DATABASE_URL'] = url;
  }
  // Jest runs a shared global setup once, with whichever project comes first, so always build: the
  // end-to-end tests start the services from dist/ (about two seconds of swc).
  execFileSync(
    process.execPath,
    [
      'node_modules/@swc/cli/bin/swc.js',
      'apps',
      'libs',
      '--out-dir',
      'dist',
      '--config-file',
      '.swcrc',
      '--copy-files',
      '--quiet',
    ],
    { cwd: project.rootDir, stdio: 'inherit' },
  );
}
