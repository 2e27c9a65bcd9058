// Starts what the fault tests break: their own Kafka broker and PostgreSQL server on free ports, in a run
// directory of their own, never the shared ones. A detached reaper cleans up if this run dies uncleanly.
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from '../../../infra/build.mjs';
import { freePortPair, startFaultKafka, startFaultPostgres, type FaultCluster } from '../support/cluster.mjs';
import { startReaper } from '../support/reaper.mjs';

export default async function faultsGlobalSetup(): Promise<void> {
  // Inherited by every test file and every service the tests start.
  process.env['JIGSAW_DEVELOPMENT'] = 'true';
  process.stderr.write(
    '[faults] development mode (JIGSAW_DEVELOPMENT=true): the published development secrets and tokens are accepted\n',
  );
  const runDir = mkdtempSync(join(tmpdir(), 'jigsaw-faults-'));
  // The PostgreSQL server runs as its own user (when we are root) and must reach its directory.
  chmodSync(runDir, 0o755);
  startReaper(process.pid, runDir);

  const kafkaPort = await freePortPair();
  let postgresPort = await freePortPair();
  while (postgresPort === kafkaPort || postgresPort === kafkaPort + 1) postgresPort = await freePortPair();
  const cluster: FaultCluster = { runDir, kafkaPort, postgresPort };
  // Every process started from here on carries the run directory in its environment: that is how the
  // teardown and the reaper find them.
  process.env['FAULTS_DIR'] = runDir;
  process.env['FAULTS_KAFKA_PORT'] = String(kafkaPort);
  process.env['FAULTS_POSTGRES_PORT'] = String(postgresPort);

  const started = Date.now();
  const [brokers, databaseUrl] = await Promise.all([startFaultKafka(cluster), startFaultPostgres(cluster)]);
  process.env['KAFKA_BROKERS'] = brokers;
  process.env['TEST_DATABASE_URL'] = databaseUrl;
  process.stderr.write(
    `[faults] Kafka on ${brokers}, PostgreSQL on ${postgresPort}, in ${runDir} (${Date.now() - started} ms)\n`,
  );
  build();
}
