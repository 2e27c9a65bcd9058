import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { repoRoot } from '@jigsaw/config';
import { SchemaRegistry } from './schema-registry.js';

const schemasDir = join(repoRoot(), 'schemas');

/** Formats whose values have a fixed or small length, so they bound the string themselves. */
const BOUNDED_FORMATS = new Set(['date', 'date-time', 'uuid', 'nhs-number', 'upn']);

/** A pattern bounds a string when it is anchored at both ends and repeats nothing without limit. */
const patternBounds = (pattern: unknown): boolean =>
  typeof pattern === 'string' && /^\^.*\$$/.test(pattern) && !/[*+]|\{\d+,\}/.test(pattern);

/** Every array without maxItems and every string with nothing that bounds its length, by JSON pointer. */
function unbounded(schema: unknown, path = ''): string[] {
  if (Array.isArray(schema)) return schema.flatMap((s, i) => unbounded(s, `${path}/${i}`));
  if (typeof schema !== 'object' || schema === null) return [];
  const node = schema as Record<string, unknown>;
  const types = [node['type']].flat();
  const found: string[] = [];
  if (types.includes('array') && node['maxItems'] === undefined)
    found.push(`${path} (array without maxItems)`);
  const stringBounded =
    node['maxLength'] !== undefined ||
    node['enum'] !== undefined ||
    node['const'] !== undefined ||
    BOUNDED_FORMATS.has(node['format'] as string) ||
    patternBounds(node['pattern']);
  if (types.includes('string') && !stringBounded) found.push(`${path} (string without maxLength)`);
  for (const [key, value] of Object.entries(node)) {
    if (key !== 'examples' && key !== 'enum') found.push(...unbounded(value, `${path}/${key}`));
  }
  return found;
}

function schemaFiles(dir = schemasDir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'examples' ? [] : schemaFiles(path);
    return /^v\d+\.json$/.test(entry.name) ? [path] : [];
  });
}

describe('every array and string in every schema has a bound', () => {
  it('finds the envelope and every event type', () => {
    const files = schemaFiles().map((f) => f.slice(schemasDir.length + 1));
    expect(files).toContain('envelope/v1.json');
    expect(files.length).toBeGreaterThan(new SchemaRegistry().types.size);
  });

  it.each(schemaFiles().map((f) => [f.slice(schemasDir.length + 1), f]))('%s', (_name, file) => {
    expect(unbounded(JSON.parse(readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('notices an unbounded array or string wherever it hides', () => {
    expect(unbounded({ type: 'array', items: { type: 'string', maxLength: 5 } })).toEqual([
      ' (array without maxItems)',
    ]);
    expect(
      unbounded({ $defs: { a: { properties: { b: { type: ['string', 'null'], pattern: '^[a-z]+$' } } } } }),
    ).toEqual(['/$defs/a/properties/b (string without maxLength)']);
    expect(unbounded({ oneOf: [{ type: 'string', format: 'email' }] })).toEqual([
      '/oneOf/0 (string without maxLength)',
    ]);
    expect(unbounded({ type: 'string', pattern: '^[0-9]{10}$' })).toEqual([]);
    expect(unbounded({ type: 'string', pattern: '^[0-9]{10,}$' })).toHaveLength(1);
    expect(unbounded({ type: 'string', pattern: '[0-9]{10}' })).toHaveLength(1);
  });
});
