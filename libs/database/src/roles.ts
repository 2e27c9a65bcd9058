import pg from 'pg';
import type { PoolClient } from './database.js';
import {
  ALL_OWNER_ROLES,
  grantsOn,
  PRIVILEGES,
  SCHEMA_OWNERS,
  schemaOwner,
  type OwnerRole,
} from './ownership.js';

type Queryable = Pick<PoolClient, 'query'>;

const id = (name: string): string => pg.escapeIdentifier(name);

// Roles are the server's, not one database's: services and test databases starting together race to make
// them. 42710 and 23505 are another session's CREATE ROLE winning; XX000 "tuple concurrently updated" is
// two GRANTs of one role at once.
const RACES = new Set(['42710', '23505', 'XX000']);

/**
 * Makes every owner's role (NOLOGIN) that does not exist yet, and makes the connecting login a member of
 * each, so its pools may run as any of them (`-c role=...`) and its migrations as their owners. Needs a
 * login with CREATEROLE (or the roles made beforehand and granted to it).
 */
export async function ensureOwnerRoles(client: Queryable): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { rows } = await client.query<{ role: string; exists: boolean; member: boolean }>(
        `SELECT r AS role, EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) AS exists,
                EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) AND pg_has_role(session_user, r, 'MEMBER') AS member
         FROM unnest($1::text[]) AS r`,
        [ALL_OWNER_ROLES],
      );
      for (const row of rows) {
        if (!row.exists) await client.query(`CREATE ROLE ${id(row.role)} NOLOGIN`);
        if (!row.member) await client.query(`GRANT ${id(row.role)} TO SESSION_USER`);
      }
      return;
    } catch (error) {
      if (!RACES.has((error as { code?: string }).code ?? '') || attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt * Math.random()));
    }
  }
}

/** Each schema some owner claims, with its owner. */
async function ownedSchemas(client: Queryable): Promise<{ schema: string; owner: OwnerRole }[]> {
  const { rows } = await client.query<{ nspname: string }>('SELECT nspname FROM pg_namespace ORDER BY 1');
  return rows.flatMap(({ nspname }) => {
    const owner = schemaOwner(nspname);
    return owner ? [{ schema: nspname, owner }] : [];
  });
}

/**
 * Lets the owners of schemas create them in this database, and hands each owned schema, and everything in
 * it made before the roles existed (by the login), to its owner: an older store keeps working.
 */
export async function takeOwnership(client: Queryable): Promise<void> {
  const creators = [...new Set(Object.values(SCHEMA_OWNERS))];
  const { rows: lacking } = await client.query<{ role: string }>(
    `SELECT r AS role FROM unnest($1::text[]) AS r WHERE NOT has_database_privilege(r, current_database(), 'CREATE')`,
    [creators],
  );
  if (lacking.length > 0) {
    const { rows } = await client.query<{ db: string }>('SELECT current_database() AS db');
    await client.query(
      `GRANT CREATE ON DATABASE ${id(rows[0]!.db)} TO ${lacking.map((r) => id(r.role)).join(', ')}`,
    );
  }
  for (const { schema, owner } of await ownedSchemas(client)) {
    // The schema first: a table's new owner needs CREATE on its schema.
    const { rows } = await client.query<{ kind: string; name: string }>(
      `SELECT 0 AS step, 'SCHEMA' AS kind, quote_ident(n.nspname) AS name FROM pg_namespace n
        WHERE n.nspname = $1 AND n.nspowner <> to_regrole($2)
       UNION ALL
       SELECT 1, 'TABLE', quote_ident(n.nspname) || '.' || quote_ident(c.relname)
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm') AND c.relowner <> to_regrole($2)
       UNION ALL
       SELECT 1, 'FUNCTION', p.oid::regprocedure::text
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = $1 AND p.proowner <> to_regrole($2)
       ORDER BY step`,
      [schema, owner],
    );
    for (const { kind, name } of rows) await client.query(`ALTER ${kind} ${name} OWNER TO ${id(owner)}`);
  }
}

/**
 * Sets every owned schema's privileges to exactly what `GRANTS` lists: all other owners' privileges are
 * revoked, then the listed ones granted, by the schema's owner, in the caller's transaction.
 */
export async function applyGrants(client: Queryable): Promise<void> {
  for (const { schema, owner } of await ownedSchemas(client)) {
    const others = ALL_OWNER_ROLES.filter((role) => role !== owner);
    await client.query(`SET LOCAL ROLE ${id(owner)}`);
    const s = id(schema);
    const everyone = others.map(id).join(', ');
    await client.query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${s} FROM ${everyone}`);
    await client.query(`REVOKE ALL ON SCHEMA ${s} FROM ${everyone}`);
    const { rows } = await client.query<{ tablename: string }>(
      'SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY 1',
      [schema],
    );
    const users = new Set<OwnerRole>();
    for (const { tablename } of rows) {
      for (const [role, privileges] of grantsOn(schema, tablename)) {
        if (role === owner) continue;
        const listed = PRIVILEGES.filter((p) => privileges.has(p));
        await client.query(`GRANT ${listed.join(', ')} ON ${s}.${id(tablename)} TO ${id(role)}`);
        users.add(role);
      }
    }
    if (users.size > 0) await client.query(`GRANT USAGE ON SCHEMA ${s} TO ${[...users].map(id).join(', ')}`);
  }
  await client.query('SET LOCAL ROLE NONE');
  // The login's own tables (the migrations' bookkeeping): only what is listed, no more.
  const { rows } = await client.query<{ tablename: string }>(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
  );
  for (const { tablename } of rows) {
    const grants = grantsOn('public', tablename);
    if (grants.size === 0) continue;
    const t = `public.${id(tablename)}`;
    await client.query(`REVOKE ALL ON ${t} FROM ${ALL_OWNER_ROLES.map(id).join(', ')}`);
    for (const [role, privileges] of grants) {
      await client.query(
        `GRANT ${PRIVILEGES.filter((p) => privileges.has(p)).join(', ')} ON ${t} TO ${id(role)}`,
      );
    }
  }
}

/** `ensureOwnerRoles` on a connection of its own: before a pool that runs as one of the roles connects. */
export async function ensureOwnerRolesAt(connectionString: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await ensureOwnerRoles(client);
  } finally {
    await client.end();
  }
}
