// Provides what the integration and end-to-end tests need: Kafka, PostgreSQL and, where possible, KurrentDB,
// each as configured, else in a container where a Docker engine answers, else (Kafka and PostgreSQL) started
// locally as `npm start` does; see ./backing-services.mjs. Each test file makes its own database.
// End-to-end tests run the services as built, so the setup builds first.
import { build } from '../../infra/build.mjs';
import { ensureKafka } from '../../infra/kafka/kafka.mjs';
import { createDatabase, ensurePostgres } from '../../infra/postgres.mjs';
import {
  dockerEngine,
  kurrentDbSkipReason,
  plan,
  startKafka,
  startKurrentDb,
  startPostgres,
} from './backing-services.mjs';

const say = (message: string): void => {
  process.stderr.write(`\n[test setup] ${message}\n`);
};

export default async function globalSetup(): Promise<void> {
  // Inherited by every test file and every service the tests start.
  process.env['JIGSAW_DEVELOPMENT'] = 'true';
  say(
    'development mode (JIGSAW_DEVELOPMENT=true): the published development secrets and tokens are accepted',
  );
  const docker = await dockerEngine();
  const use = plan(process.env, docker.answers);
  if (use.kafka !== 'configured' || use.postgres !== 'configured' || use.kurrentdb === 'docker') {
    say(`Kafka: ${use.kafka}, PostgreSQL: ${use.postgres}, KurrentDB: ${use.kurrentdb}`);
  }

  const kafka =
    use.kafka === 'docker'
      ? startKafka()
      : use.kafka === 'local'
        ? ensureKafka()
        : Promise.resolve(undefined);
  const postgres =
    use.postgres === 'docker'
      ? startPostgres().then(async (url) => {
          await createDatabase(url);
          return url;
        })
      : !process.env['TEST_DATABASE_URL']
        ? ensurePostgres({ database: 'jigsaw_test' })
        : Promise.resolve(undefined);
  const kurrentdb = use.kurrentdb === 'docker' ? startKurrentDb() : Promise.resolve(undefined);
  const [brokers, url, kurrentUrl] = await Promise.all([kafka, postgres, kurrentdb]);
  if (brokers) process.env['KAFKA_BROKERS'] = brokers;
  if (url) process.env['TEST_DATABASE_URL'] = url;
  if (kurrentUrl) process.env['KURRENTDB_URL'] = kurrentUrl;

  if (use.kurrentdb === 'none') {
    const reason = kurrentDbSkipReason(docker.answers ? '' : docker.why);
    process.env['KURRENTDB_SKIP_REASON'] = reason;
    say(
      `SKIPPING the KurrentDB event store tests: ${reason}.\n` +
        '  To run them: KURRENTDB_URL=kurrentdb://127.0.0.1:2113?tls=false npm test (a KurrentDB 25.1+ node),\n' +
        '  or run the tests where a Docker engine answers.',
    );
  }
  // Jest runs a shared global setup once, with whichever project comes first, so always build: the
  // end-to-end tests start the services from dist/ (about two seconds of swc).
  build();
}
