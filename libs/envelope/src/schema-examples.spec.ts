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

  describe('holds the strict forms ingest accepts, naming the field and what it asks', () => {
    type Json = Record<string, unknown>;
    const example = (prefix: string): Json =>
      JSON.parse(JSON.stringify(examples('valid').find(([path]) => path.startsWith(prefix))![1])) as Json;
    const recordOf = (event: Json): Json => (event['data'] as { record: Json }).record;
    const DATE_TIME = 'must be a real date and time (RFC 3339)';

    it.each([
      ['a lower-case T and Z', '2026-11-20t22:15:00z'],
      ['a leap second', '2016-12-31T23:59:60Z'],
      ['year 0', '0000-01-01T00:00:00Z'],
      ['no zone', '2026-11-20T22:15:00'],
      ['the 30th of February', '2026-02-30T22:15:00Z'],
    ])('refuses a date and time with %s', (_name, value) => {
      const event = example('police/domestic-abuse-incident-notified/');
      recordOf(event)['occurredAt'] = value;
      event['time'] = value;
      expect(registry.validateEnvelope(event)).toEqual([
        { field: 'time', reason: DATE_TIME },
        { field: 'data.record.occurredAt', reason: DATE_TIME },
      ]);
    });

    it.each(['2026-11-20T22:15:00Z', '2026-11-20T22:15:00.250+01:00', '2026-11-20 22:15:00Z'])(
      'accepts the date and time %s',
      (value) => {
        const event = example('police/domestic-abuse-incident-notified/');
        recordOf(event)['occurredAt'] = value;
        expect(registry.validateEnvelope(event)).toEqual([]);
      },
    );

    it('refuses a date of year 0 and an email address without a real top-level domain', () => {
      const event = example('council/lead-practitioner-assigned/');
      recordOf(event)['assignedDate'] = '0000-01-01';
      recordOf(event)['secureEmail'] = 'lead@council.x';
      (event['data'] as { child: Json }).child['birthDate'] = '0000-01-01';
      expect(registry.validateEnvelope(event)).toEqual([
        { field: 'data.child.birthDate', reason: 'must be a real date (YYYY-MM-DD)' },
        { field: 'data.record.assignedDate', reason: 'must be a real date (YYYY-MM-DD)' },
        { field: 'data.record.secureEmail', reason: 'must be an email address' },
      ]);
    });

    it('refuses a code system that is not a web address', () => {
      const event = example('health/unscheduled-care-attended/');
      (recordOf(event)['reason'] as Json)['system'] = 'urn:oid:2.16.840.1.113883.6.96';
      expect(registry.validateEnvelope(event)).toEqual([
        { field: 'data.record.reason.system', reason: 'must be a code system URI (http, https or ftp)' },
      ]);
    });

    it('says in words what a pattern asks', () => {
      const event = example('police/domestic-abuse-incident-notified/');
      const record = recordOf(event);
      record['schoolUrn'] = '12345';
      (record['contact'] as Json)['phone'] = 'call the desk';
      record['summary'] = '';
      expect(registry.validateEnvelope(event)).toEqual([
        { field: 'data.record.contact.phone', reason: 'must be a telephone number' },
        { field: 'data.record.summary', reason: 'must not be empty' },
        { field: 'data.record.schoolUrn', reason: 'must be a 6-digit school URN' },
      ]);
    });
  });
});
