import { createHash } from 'node:crypto';
import { grantsOn, OUTBOX_TOPICS, STREAM_WRITES, type OwnerRole, type Privilege } from './ownership.js';

/** One row-level security policy the event store's tables should have, for one role. */
export interface RowPolicy {
  table: string;
  /** Named after its table, command, role and a digest of its definition: a changed rule is a new name. */
  name: string;
  command: Privilege;
  role: OwnerRole;
  using?: string;
  check?: string;
}

const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

interface Claim {
  to: readonly OwnerRole[];
  key: string;
}

/**
 * The SQL condition that `role` claims the row: one of its keys matches, and no longer key of another owner
 * that also matches wherever it does (the longest listed key decides, as `streamWriters` and `topicWriters`
 * do). `false` for none. A key is a prefix, or with `suffix` the end of the value.
 */
function claimedBy(
  role: OwnerRole,
  claims: readonly Claim[],
  matches: (key: string) => string,
  suffix = false,
): string {
  const narrows = (longer: string, key: string): boolean =>
    longer.length > key.length && (suffix ? longer.endsWith(key) : longer.startsWith(key));
  const terms = claims
    .filter((c) => c.to.includes(role))
    .map(({ key }) => {
      const others = claims.filter((c) => !c.to.includes(role) && narrows(c.key, key));
      return [matches(key), ...others.map((o) => `NOT ${matches(o.key)}`)].join(' AND ');
    });
  return terms.length > 0 ? terms.map((t) => `(${t})`).join(' OR ') : 'false';
}

const STREAMS: Claim[] = STREAM_WRITES.map((w) => ({ to: w.to, key: w.prefix }));
const TOPICS: Claim[] = OUTBOX_TOPICS.map((t) => ({ to: t.to, key: t.topic }));
const ownStream = (role: OwnerRole): string =>
  claimedBy(role, STREAMS, (prefix) => `starts_with(stream_id, ${literal(prefix)})`);
const ownTopic = (role: OwnerRole): string =>
  claimedBy(role, TOPICS, (name) => `right(topic, ${name.length}) = ${literal(name)}`, true);

/**
 * Each table's rule by command, for a role granted that command on it (`GRANTS`): reading stays open; rows
 * are written only for the role's own streams (events, stream heads) and topics (outbox). A stream head's
 * update is checked on the row it leaves, so moving another owner's stream fails loudly, not as a conflict.
 */
type Rule = (role: OwnerRole) => Pick<RowPolicy, 'using' | 'check'>;

const RULES: Record<string, Partial<Record<Privilege, Rule>>> = {
  events: {
    SELECT: () => ({ using: 'true' }),
    INSERT: (role) => ({ check: ownStream(role) }),
  },
  streams: {
    SELECT: () => ({ using: 'true' }),
    INSERT: (role) => ({ check: ownStream(role) }),
    UPDATE: (role) => ({ using: 'true', check: ownStream(role) }),
  },
  outbox: {
    SELECT: () => ({ using: 'true' }),
    INSERT: (role) => ({ check: ownTopic(role) }),
    UPDATE: (role) => ({ using: ownTopic(role), check: ownTopic(role) }),
    DELETE: (role) => ({ using: ownTopic(role) }),
  },
};

/** The event store's tables that row-level security covers. */
export const POLICY_TABLES: readonly string[] = Object.keys(RULES).map((t) => `event_store.${t}`);

/** Every policy the event store's tables should have: no more (a stray one is dropped at start). */
export function rowPolicies(): RowPolicy[] {
  return Object.entries(RULES).flatMap(([table, rules]) =>
    [...grantsOn('event_store', table)].flatMap(([role, privileges]) =>
      [...privileges].flatMap((command) => {
        const rule = rules[command]?.(role);
        if (!rule) return [];
        const digest = createHash('sha256')
          .update(JSON.stringify([command, role, rule.using ?? null, rule.check ?? null]))
          .digest('hex')
          .slice(0, 8);
        const name = `${table}_${command.toLowerCase()}_${role}_${digest}`;
        return [{ table: `event_store.${table}`, name, command, role, ...rule }];
      }),
    ),
  );
}

/** The statement that makes `policy`. */
export function createPolicy(policy: RowPolicy): string {
  return [
    `CREATE POLICY ${policy.name} ON ${policy.table} FOR ${policy.command} TO ${policy.role}`,
    policy.using ? `USING (${policy.using})` : '',
    policy.check ? `WITH CHECK (${policy.check})` : '',
  ]
    .filter(Boolean)
    .join(' ');
}
