import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { repoRoot } from '@jigsaw/config';
import { KEPT_FIELDS, PERSONAL_DATA_FIELDS } from './personal-data-fields.js';

interface SchemaNode {
  type?: string | string[];
  enum?: unknown;
  const?: unknown;
  format?: string;
  pattern?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

const schemasDir = join(repoRoot(), 'schemas');

/** Each event type's data schema: control kinds by kind, the rest as `<agency>.<name>`. */
function dataSchemas(): Map<string, SchemaNode> {
  const found = new Map<string, SchemaNode>();
  for (const agency of readdirSync(schemasDir)) {
    if (agency === 'envelope') continue;
    for (const name of readdirSync(join(schemasDir, agency))) {
      const dir = join(schemasDir, agency, name);
      if (!statSync(dir).isDirectory()) continue;
      for (const file of readdirSync(dir).filter((f) => /^v\d+\.json$/.test(f))) {
        const type = agency === 'control' ? name : `${agency}.${name}`;
        found.set(
          `${type}@${relative(schemasDir, join(dir, file)).split(sep).join('/')}`,
          JSON.parse(readFileSync(join(dir, file), 'utf8')) as SchemaNode,
        );
      }
    }
  }
  return found;
}

/** Paths of strings whose content the sender writes freely: no enum, const, format or pattern. */
function freeText(node: SchemaNode, path: string[] = []): string[] {
  const types = Array.isArray(node.type) ? node.type : [node.type];
  const own =
    types.includes('string') &&
    node.enum === undefined &&
    node.const === undefined &&
    !node.format &&
    !node.pattern
      ? [path.join('.')]
      : [];
  const children = Object.entries(node.properties ?? {}).flatMap(([key, child]) =>
    freeText(child, [...path, key]),
  );
  const items = node.items ? freeText(node.items, path) : [];
  // An object of free form (no properties: record-corrected's corrections) is text of any shape.
  const freeObject = types.includes('object') && !node.properties && path.length > 0 ? [path.join('.')] : [];
  return [...own, ...children, ...items, ...freeObject];
}

const covered = (list: Readonly<Record<string, readonly string[]>>, type: string, path: string): boolean =>
  (list[type] ?? []).some((listed) => listed === path || path.startsWith(`${listed}.`));

describe('the list of personal data fields', () => {
  const schemas = [...dataSchemas()];

  it("decides, for every free-text field of every event schema, whether it is the child's personal data", () => {
    const undecided = schemas.flatMap(([id, schema]) => {
      const type = id.split('@')[0]!;
      return freeText(schema)
        .filter((path) => !covered(PERSONAL_DATA_FIELDS, type, path) && !covered(KEPT_FIELDS, type, path))
        .map((path) => `${id}: data.${path}`);
    });
    expect(undecided).toEqual([]);
  });

  it('names only fields that exist, and never one as both personal and kept', () => {
    const types = new Set(schemas.map(([id]) => id.split('@')[0]!));
    const fieldsOf = (type: string): string[] =>
      schemas.filter(([id]) => id.split('@')[0] === type).flatMap(([, schema]) => freeText(schema));
    for (const list of [PERSONAL_DATA_FIELDS, KEPT_FIELDS]) {
      for (const [type, paths] of Object.entries(list)) {
        expect([type, types.has(type)]).toEqual([type, true]);
        for (const path of paths) {
          const exists = fieldsOf(type).some((field) => field === path || field.startsWith(`${path}.`));
          expect([type, path, exists]).toEqual([type, path, true]);
          expect([
            type,
            path,
            covered(list === KEPT_FIELDS ? PERSONAL_DATA_FIELDS : KEPT_FIELDS, type, path),
          ]).toEqual([type, path, false]);
        }
      }
    }
  });
});
