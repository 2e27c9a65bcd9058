// `npm start`: runs the hub. Starts Kafka and PostgreSQL when none are configured, builds, then runs every
// service as its own process, printing where each listens. Ctrl-C stops them all. On another Node than
// 24 it runs itself on Node 24 (infra/node24.mjs).
import './node24.mjs';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './build.mjs';
import { developmentIssuers, startDevelopmentIdentityProvider } from './development-identity.mjs';
import { ensureKafka } from './kafka/kafka.mjs';
import { ensurePostgres } from './postgres.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SERVICES = [
  ['safeguarding-view', 3000],
  ['council', 3001],
  ['police', 3002],
  ['health', 3003],
  ['education', 3004],
  ['audit', 3005],
  ['notifications', 3006],
].filter(([name]) => existsSync(join(root, 'apps', name, 'src/main.ts')));

const say = (message) => process.stdout.write(`[jigsaw] ${message}\n`);
if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(
    [
      'usage: npm start',
      '',
      'Runs the hub: finds or starts Kafka and PostgreSQL, builds, and runs every service. Ctrl-C stops them.',
      `Runs on Node ${process.version}. Environment:`,
      '  KAFKA_BROKERS, DATABASE_URL   use these instead of starting Kafka or PostgreSQL',
      ...SERVICES.map(
        ([name, port]) => `  ${`${name.toUpperCase().replace('-', '_')}_PORT`.padEnd(29)} default ${port}`,
      ),
      '',
    ].join('\n'),
  );
  process.exit(0);
}

say('development mode (JIGSAW_DEVELOPMENT=true): development secrets, tokens and sign-in are accepted');
const [brokers, databaseUrl] = await Promise.all([ensureKafka(), ensurePostgres()]);
say(`Kafka at ${brokers}; PostgreSQL at ${new URL(databaseUrl).host}${new URL(databaseUrl).pathname}`);
build();

const portOf = (name, defaultPort) =>
  process.env[`${name.toUpperCase().replace('-', '_')}_PORT`] ?? String(defaultPort);
// The console (served by the view) reads the access log from the audit service and the inbox from the
// notifications service, which let its origin in.
const viewPort = portOf('safeguarding-view', 3000);
const auditPort = portOf('audit', 3005);
const notificationsPort = portOf('notifications', 3006);
const consoleOrigins = `http://localhost:${viewPort},http://127.0.0.1:${viewPort}`;
// The development identity provider: what an agency's own identity provider is in a deployment.
const idpPort = Number(process.env.IDP_PORT ?? 3009);
const consoleUrls = [`http://127.0.0.1:${viewPort}/console/`, `http://localhost:${viewPort}/console/`];
const stopIdentityProvider = await startDevelopmentIdentityProvider({
  port: idpPort,
  redirectUris: consoleUrls,
  postLogoutRedirectUris: consoleUrls,
});
const OIDC_ISSUERS = process.env.OIDC_ISSUERS ?? JSON.stringify(developmentIssuers(idpPort));
say(`identity provider  http://127.0.0.1:${idpPort}/<agency> (development personas)`);
const WIRING = {
  'safeguarding-view': {
    CONSOLE_AUDIT_URL: process.env.CONSOLE_AUDIT_URL ?? `http://127.0.0.1:${auditPort}`,
    CONSOLE_NOTIFICATIONS_URL:
      process.env.CONSOLE_NOTIFICATIONS_URL ?? `http://127.0.0.1:${notificationsPort}`,
  },
  audit: { CORS_ORIGINS: process.env.CORS_ORIGINS ?? consoleOrigins },
  notifications: { CORS_ORIGINS: process.env.CORS_ORIGINS ?? consoleOrigins },
};

const children = SERVICES.map(([name, defaultPort]) => {
  const port = portOf(name, defaultPort);
  const child = spawn(process.execPath, [join(root, `dist/apps/${name}/src/main.js`)], {
    cwd: root,
    env: {
      ...process.env,
      ...WIRING[name],
      JIGSAW_DEVELOPMENT: 'true',
      OIDC_ISSUERS,
      PORT: port,
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: brokers,
      SERVICE_NAME: name,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      say(`${name} stopped (${signal ?? code}); stopping the hub`);
      stop(1);
    }
  });
  say(`${name.padEnd(18)} http://127.0.0.1:${port}`);
  return child;
});

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  void stopIdentityProvider();
  setTimeout(() => process.exit(code), 5_000).unref();
  Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.once('exit', r))))).then(
    () => process.exit(code),
  );
}
process.on('SIGINT', () => stop());
process.on('SIGTERM', () => stop());
