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
    const [valid, invalid] = [examples('valid'), examples('invalid')];
    const missing = [...registry.types.keys()].filter((type) => {
      // Agency types live under <agency>/<name>; control kinds, shared by every agency, under control/<kind>.
      const folder = registry.controlKinds.has(type) ? `control/${type}` : type.replace('.', '/');
      const has = (found: [string, unknown][]): boolean =>
        found.some(([path]) => path.startsWith(`${folder}/`));
      return !has(valid) || !has(invalid);
    });
    expect(missing).toEqual([]);
  });

  it.each(examples('valid'))('accepts %s', (_path, event) => {
    expect(registry.validateEnvelope(event)).toEqual([]);
  });

  it.each(examples('invalid'))('refuses %s with exactly the expected problems', (_path, example) => {
    const { event, expected } = example as { event: unknown; expected: FieldProblem[] };
    const byField = (a: FieldProblem, b: FieldProblem): number => a.field.localeCompare(b.field);
    expect(registry.validateEnvelope(event).sort(byField)).toEqual([...expected].sort(byField));
  });

  const domesticAbuseExample = (): unknown =>
    examples('valid').find(([path]) => path.startsWith('police/domestic-abuse-incident-notified/'))![1];

  it('refuses a dataschema that names another type', () => {
    const event = domesticAbuseExample();
    const wrong = { ...(event as object), dataschema: 'urn:jigsaw:schema:police.missing-episode-started:v1' };
    expect(registry.validateEnvelope(wrong)).toEqual([
      { field: 'dataschema', reason: 'must name a schema of type police.domestic-abuse-incident-notified' },
    ]);
  });

  it("lets any agency use its control kind's shared schema, and nothing else use it", () => {
    const event = domesticAbuseExample();
    const control = {
      ...(event as object),
      type: 'education.record-retracted',
      dataschema: 'urn:jigsaw:schema:record-retracted:v1',
      data: {
        ...(event as { data: object }).data,
        record: { targetEventId: 'an-earlier-event', reason: 'Entered against the wrong pupil.' },
      },
    };
    expect(registry.validateEnvelope(control)).toEqual([]);
    expect(registry.validateEnvelope({ ...control, type: 'education.record-restricted' })).toEqual([
      { field: 'dataschema', reason: 'must name a schema of type education.record-restricted' },
    ]);
    expect(
      registry.validateEnvelope({
        ...(event as object),
        dataschema: 'urn:jigsaw:schema:record-retracted:v1',
      }),
    ).toEqual([
      { field: 'dataschema', reason: 'must name a schema of type police.domestic-abuse-incident-notified' },
    ]);
  });
});
