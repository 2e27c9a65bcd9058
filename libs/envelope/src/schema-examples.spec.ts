import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { repoRoot } from '@jigsaw/config';
import type { FieldProblem } from '@jigsaw/errors';
import { SchemaRegistry } from './schema-registry.js';

const registry = new SchemaRegistry();
const schemasDir = join(repoRoot(), 'schemas');

function examples(kind: 'valid' | 'invalid'): [string, unknown][] {
  const found: [string, unknown][] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (path.includes(`/examples/${kind}/`) && entry.name.endsWith('.json')) {
        found.push([path.slice(schemasDir.length + 1), JSON.parse(readFileSync(path, 'utf8'))]);
      }
    }
  };
  walk(schemasDir);
  return found;
}

describe('schemas/', () => {
  it('gives every event type valid and invalid examples', () => {
    for (const type of registry.types.keys()) {
      const folder = type.replace('.', '/');
      expect(examples('valid').some(([path]) => path.startsWith(`${folder}/`))).toBe(true);
      expect(examples('invalid').some(([path]) => path.startsWith(`${folder}/`))).toBe(true);
    }
  });

  it.each(examples('valid'))('accepts %s', (_path, event) => {
    expect(registry.validateEnvelope(event)).toEqual([]);
  });

  it.each(examples('invalid'))('refuses %s with exactly the expected problems', (_path, example) => {
    const { event, expected } = example as { event: unknown; expected: FieldProblem[] };
    const byField = (a: FieldProblem, b: FieldProblem): number => a.field.localeCompare(b.field);
    expect(registry.validateEnvelope(event).sort(byField)).toEqual([...expected].sort(byField));
  });

  it('refuses a dataschema that names another type', () => {
    const [, event] = examples('valid')[0]!;
    const wrong = { ...(event as object), dataschema: 'urn:jigsaw:schema:police.missing-episode-started:v1' };
    expect(registry.validateEnvelope(wrong)).toEqual([
      { field: 'dataschema', reason: 'must name a schema of type police.domestic-abuse-incident-notified' },
    ]);
  });
});
