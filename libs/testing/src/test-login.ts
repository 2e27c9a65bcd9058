import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { testServerUrl } from './test-database.js';

/** A login of its own on the test server, for a service that runs on one (`DATABASE_MIGRATIONS=check`). */
export interface TestLogin {
  name: string;
  /** `databaseUrl` as this login, which the test server trusts without a password. */
  urlTo(databaseUrl: string): string;
  drop(): Promise<void>;
}

/** Runs `work` on a connection to the test server as its admin login. */
export async function onTestServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Makes a login that is a member of `roles` alone. Roles are the server's, not a database's: each has a
 * name of its own, and `drop` removes it once the databases it used are gone.
 */
export async function createTestLogin(label: string, roles: readonly string[]): Promise<TestLogin> {
  const name = `jigsaw_test_${label}_login_${randomBytes(4).toString('hex')}`;
  await onTestServer(async (client) => {
    await client.query(`CREATE ROLE ${name} LOGIN`);
    for (const role of roles) await client.query(`GRANT ${pg.escapeIdentifier(role)} TO ${name}`);
  });
  return {
    name,
    urlTo: (databaseUrl) => {
      const url = new URL(databaseUrl);
      url.username = name;
      url.password = '';
      return url.toString();
    },
    drop: () => onTestServer((client) => client.query(`DROP ROLE IF EXISTS ${name}`)).then(() => undefined),
  };
}
