// Starts what the integration and end-to-end tests need: Kafka (unless KAFKA_BROKERS names a cluster)
// and a PostgreSQL server (DATABASE_URL, the local one, or embedded). Each test file makes its own database.
// End-to-end tests run the services as built, so the setup builds first.
import { build } from '../../infra/build.mjs';
import { ensureKafka } from '../../infra/kafka/kafka.mjs';
import { ensurePostgres } from '../../infra/postgres.mjs';

export default async function globalSetup(): Promise<void> {
  if (!process.env['TEST_DATABASE_URL'] || !process.env['KAFKA_BROKERS']) {
    const [brokers, url] = await Promise.all([ensureKafka(), ensurePostgres({ database: 'jigsaw_test' })]);
    process.env['KAFKA_BROKERS'] = brokers;
    process.env['TEST_DATABASE_URL'] = url;
  }
  // Jest runs a shared global setup once, with whichever project comes first, so always build: the
  // end-to-end tests start the services from dist/ (about two seconds of swc).
  build();
}
