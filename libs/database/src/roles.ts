import pg from 'pg';
import type { PoolClient } from './database.js';
import { ALL_OWNER_ROLES, grantsOn, SCHEMA_OWNERS, schemaOwner, type OwnerRole } from './ownership.js';
import { createPolicy, POLICY_TABLES, rowPolicies } from './stream-policies.js';

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
  const owned = await ownedSchemas(client);
  // Every owned schema at once, the schemas first: a table's new owner needs CREATE on its schema.
  const { rows } = await client.query<{ kind: string; name: string; owner: string }>(
    `WITH owned AS (SELECT * FROM unnest($1::text[], $2::text[]) AS o(schema, owner))
     SELECT 0 AS step, 'SCHEMA' AS kind, quote_ident(n.nspname) AS name, o.owner FROM pg_namespace n
       JOIN owned o ON o.schema = n.nspname WHERE n.nspowner <> to_regrole(o.owner)
     UNION ALL
     SELECT 1, 'TABLE', quote_ident(n.nspname) || '.' || quote_ident(c.relname), o.owner
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN owned o ON o.schema = n.nspname
      WHERE c.relkind IN ('r', 'p', 'v', 'm') AND c.relowner <> to_regrole(o.owner)
     UNION ALL
     SELECT 1, 'FUNCTION', p.oid::regprocedure::text, o.owner
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN owned o ON o.schema = n.nspname
      WHERE p.proowner <> to_regrole(o.owner)
     ORDER BY step`,
    [owned.map((o) => o.schema), owned.map((o) => o.owner)],
  );
  for (const { kind, name, owner } of rows) await client.query(`ALTER ${kind} ${name} OWNER TO ${id(owner)}`);
}

/** A right one owner holds on another's schema or table: `kind|schema|table|role`, and its privilege. */
interface Right {
  on: string;
  privilege: string;
}

const rightKey = (r: Right): string => `${r.on}|${r.privilege}`;

/**
 * Sets every owned schema's privileges to exactly what `GRANTS` lists, and the event store's row-level
 * policies to exactly what `stream-policies.ts` makes of `STREAM_WRITES` and `OUTBOX_TOPICS`, in the
 * caller's transaction. The rights and policies held are read from the catalogs and only what differs is
 * changed: a right no owner is listed for is revoked, a missing one granted, by the schema's owner.
 */
export async function applyGrants(client: Queryable): Promise<void> {
  const owned = await ownedSchemas(client);
  const ownerOf = new Map<string, string>(owned.map((o) => [o.schema, o.owner]));
  const { rows } = await client.query<{
    kind: string;
    schema: string;
    name: string;
    role: string | null;
    privilege: string | null;
    listed: boolean;
  }>(
    // Every table of an owned schema (and of public), with each privilege another owner holds on it; then
    // each owned schema with each privilege another owner holds on it.
    `SELECT 'TABLE' AS kind, n.nspname AS schema, c.relname AS name, r.rolname AS role, a.privilege_type AS privilege,
            c.relkind IN ('r', 'p') AS listed
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN LATERAL aclexplode(c.relacl) a ON a.grantee <> c.relowner AND a.grantee IN (SELECT oid FROM pg_roles WHERE rolname = ANY($1))
       LEFT JOIN pg_roles r ON r.oid = a.grantee
      WHERE n.nspname = ANY($2) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
     UNION ALL
     SELECT 'SCHEMA', n.nspname, '', r.rolname, a.privilege_type, true
       FROM pg_namespace n CROSS JOIN LATERAL aclexplode(n.nspacl) a JOIN pg_roles r ON r.oid = a.grantee
      WHERE n.nspname = ANY($2) AND r.rolname = ANY($1) AND a.grantee <> n.nspowner`,
    [ALL_OWNER_ROLES, [...ownerOf.keys(), 'public']],
  );
  const held = new Map<string, Right>();
  const wanted = new Map<string, Right>();
  const tables = new Map<string, { schema: string; name: string }>();
  for (const row of rows) {
    const on = `${row.kind}|${row.schema}|${row.name}|${row.role}`;
    if (row.role && row.privilege)
      held.set(rightKey({ on, privilege: row.privilege }), { on, privilege: row.privilege });
    if (row.kind === 'TABLE' && row.listed) tables.set(`${row.schema}.${row.name}`, row);
  }
  const users = new Map<string, Set<OwnerRole>>();
  for (const { schema, name } of tables.values()) {
    const grants = grantsOn(schema, name);
    // The login's own tables (the migrations' bookkeeping): only those listed are kept to the list.
    if (schema === 'public' && grants.size === 0) {
      for (const [key, right] of held) if (right.on.startsWith(`TABLE|public|${name}|`)) held.delete(key);
      continue;
    }
    for (const [role, privileges] of grants) {
      if (role === ownerOf.get(schema)) continue;
      for (const privilege of privileges) {
        const right = { on: `TABLE|${schema}|${name}|${role}`, privilege };
        wanted.set(rightKey(right), right);
      }
      if (schema !== 'public') users.set(schema, (users.get(schema) ?? new Set()).add(role));
    }
  }
  for (const [schema, roles] of users) {
    for (const role of roles) {
      const right = { on: `SCHEMA|${schema}||${role}`, privilege: 'USAGE' };
      wanted.set(rightKey(right), right);
    }
  }
  const revoke = [...held].filter(([key]) => !wanted.has(key)).map(([, right]) => right);
  const grant = [...wanted].filter(([key]) => !held.has(key)).map(([, right]) => right);
  // One statement per object and role, as the object's owner (the login for public's).
  const statements = new Map<string, { owner: string | undefined; sql: string[] }>();
  for (const [verb, rights] of [
    ['REVOKE', revoke],
    ['GRANT', grant],
  ] as const) {
    const byObject = new Map<string, string[]>();
    for (const { on, privilege } of rights) byObject.set(on, [...(byObject.get(on) ?? []), privilege]);
    for (const [on, privileges] of byObject) {
      const [kind, schema, name, role] = on.split('|') as [string, string, string, string];
      const object = kind === 'SCHEMA' ? `SCHEMA ${id(schema)}` : `${id(schema)}.${id(name)}`;
      const sql = `${verb} ${privileges.join(', ')} ON ${object} ${verb === 'GRANT' ? 'TO' : 'FROM'} ${id(role)}`;
      const entry = statements.get(schema) ?? { owner: ownerOf.get(schema), sql: [] };
      entry.sql.push(sql);
      statements.set(schema, entry);
    }
  }
  for (const { owner, sql } of statements.values()) {
    await client.query(`SET LOCAL ROLE ${owner ? id(owner) : 'NONE'}`);
    for (const statement of sql) await client.query(statement);
  }
  if (statements.size > 0) await client.query('SET LOCAL ROLE NONE');
  const eventStore = ownerOf.get('event_store');
  if (eventStore) await applyRowPolicies(client, eventStore);
}

/** What a policy is, as PostgreSQL keeps it (command, roles, kind and expressions), as one digest. */
const POLICY_DIGEST = `md5(concat_ws('|', p.polcmd, p.polpermissive, p.polroles::text,
  pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)))`;

/**
 * Keeps the event store's row-level security to `rowPolicies()`: enabled on each covered table, each policy
 * made that is missing or was altered since it was made, and every other policy on those tables dropped.
 * Each policy's comment holds a digest of its expressions as PostgreSQL stored them, so an `ALTER POLICY`
 * shows. The tables' owner (the migrations' role) is not held by them; no service runs as it.
 */
async function applyRowPolicies(client: Queryable, owner: string): Promise<void> {
  const { rows: present } = await client.query<{ table: string; secured: boolean }>(
    `SELECT c.oid::regclass::text AS table, c.relrowsecurity AS secured FROM pg_class c
      WHERE c.oid = ANY (SELECT to_regclass(t) FROM unnest($1::text[]) AS t)`,
    [POLICY_TABLES],
  );
  if (present.length === 0) return;
  const { rows: policies } = await client.query<{ table: string; name: string; intact: boolean }>(
    `SELECT p.polrelid::regclass::text AS table, p.polname AS name,
            obj_description(p.oid, 'pg_policy') IS NOT DISTINCT FROM ${POLICY_DIGEST} AS intact
       FROM pg_policy p WHERE p.polrelid = ANY (SELECT to_regclass(t) FROM unnest($1::text[]) AS t)`,
    [POLICY_TABLES],
  );
  const tables = new Set(present.map((p) => p.table));
  const wanted = new Map(
    rowPolicies()
      .filter((p) => tables.has(p.table))
      .map((p) => [`${p.table}|${p.name}`, p]),
  );
  const kept = new Set(policies.filter((p) => p.intact).map((p) => `${p.table}|${p.name}`));
  const drops = policies.filter((p) => !wanted.has(`${p.table}|${p.name}`) || !p.intact);
  const creates = [...wanted].filter(([key]) => !kept.has(key)).map(([, policy]) => policy);
  const unsecured = present.filter((p) => !p.secured);
  if (drops.length + creates.length + unsecured.length === 0) return;
  await client.query(`SET LOCAL ROLE ${id(owner)}`);
  for (const { table } of unsecured) await client.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
  for (const { table, name } of drops) await client.query(`DROP POLICY ${id(name)} ON ${table}`);
  for (const policy of creates) {
    await client.query(createPolicy(policy));
    const { rows } = await client.query<{ sql: string }>(
      `SELECT format('COMMENT ON POLICY %I ON %s IS %L', p.polname, p.polrelid::regclass, ${POLICY_DIGEST}) AS sql
         FROM pg_policy p WHERE p.polrelid = $1::regclass AND p.polname = $2`,
      [policy.table, policy.name],
    );
    await client.query(rows[0]!.sql);
  }
  await client.query('SET LOCAL ROLE NONE');
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
