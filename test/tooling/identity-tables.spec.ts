import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { repoRoot } from '@jigsaw/config';

// Identity owns its tables: the registry's schema is read and written by libs/identity alone, and every
// other module asks it (`IdentityRegistry`, `identifiedQuery`, `forgetChild`, `registryRows`). The tables
// are the ones its migrations create, so a new one is covered as soon as it exists.
const root = repoRoot();
const OWNER = 'libs/identity/';
const SEARCHED = ['apps', 'libs', 'test', 'bench', 'infra'];
const SOURCE = /\.(?:[cm]?[jt]s|sql)$/;
const SKIPPED = new Set(['node_modules', 'dist', 'coverage', '.data', 'test-artifacts', 'reports']);

function identityTables(): string[] {
  const dir = join(root, OWNER, 'migrations');
  const sql = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
  return [...sql.matchAll(/CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?"?identity"?\s*\.\s*"?(\w+)"?/gi)].map(
    (m) => m[1]!,
  );
}

/** `identity.<table>` as SQL may spell it: quoted or not, any case, spaces around the dot. */
function naming(tables: readonly string[]): RegExp {
  return new RegExp(`(?<![\\w."])"?identity"?\\s*\\.\\s*"?(?:${tables.join('|')})\\b`, 'i');
}

function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (SOURCE.test(entry.name)) yield path;
  }
}

describe("identity's tables", () => {
  const tables = identityTables();
  const names = naming(tables);

  it('are found in its migrations, and their names are recognised however SQL spells them', () => {
    expect(tables).toEqual(expect.arrayContaining(['child_identifiers', 'child_evidence']));
    const [table] = tables;
    for (const sql of [
      `SELECT 1 FROM identity.${table} WHERE x = 1`,
      `DELETE FROM "identity"."${table}"`,
      `update IDENTITY . ${table} set checked = true`,
    ]) {
      expect(sql).toMatch(names);
    }
    // The view's read model of the links is the view's, not identity's.
    for (const other of ['view.child_links', 'this.identity.lookupStatus(', `my_identity.${table}`]) {
      expect(other).not.toMatch(names);
    }
  });

  it('are named by no file outside libs/identity: other modules go through its API', () => {
    const offenders: string[] = [];
    for (const top of SEARCHED) {
      for (const path of sources(join(root, top))) {
        const file = relative(root, path);
        if (file.startsWith(OWNER)) continue;
        const lines = readFileSync(path, 'utf8').split('\n');
        lines.forEach((line, i) => {
          if (names.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
        });
      }
    }
    expect(offenders).toEqual([]);
  });
});
