import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsPlugin from 'ajv-formats';
import { repoRoot } from '@jigsaw/config';
import type { FieldProblem } from '@jigsaw/errors';
import { nhsNumberProblem } from './nhs-number.js';
import { upnProblem } from './upn.js';
import { CLOUD_EVENT_SCHEMA } from './cloud-event.js';

const ENVELOPE_SCHEMA = /^urn:jigsaw:schema:envelope:v[0-9]+$/;
const DATASCHEMA = /^urn:jigsaw:schema:([a-z0-9.-]+):v([0-9]+)$/;
/** Schemas every agency shares (consent withdrawn, record retracted, ...) live here, one per kind. */
const CONTROL_FOLDER = 'control';

function schemaFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'examples' ? [] : schemaFiles(path);
    return /^v\d+\.json$/.test(name) ? [path] : [];
  });
}

function fieldOf(error: ErrorObject, prefix: string): string {
  const segments = error.instancePath.split('/').filter(Boolean);
  if (error.keyword === 'required') segments.push(String(error.params['missingProperty']));
  if (error.keyword === 'additionalProperties') segments.push(String(error.params['additionalProperty']));
  return [prefix, ...segments].filter(Boolean).join('.') || '(body)';
}

/** What a format asks of a value, as a sender reads it. */
const FORMAT_REASONS: Record<string, string> = {
  'date-time': 'must be a real date and time (RFC 3339)',
  date: 'must be a real date (YYYY-MM-DD)',
  email: 'must be an email address',
  uri: 'must be a URI',
  uuid: 'must be a UUID',
};

/** What a JSON type asks of a value, in the words senders have always had. */
const TYPE_REASONS: Record<string, string> = {
  boolean: 'must be a boolean value',
  string: 'must be a string',
  integer: 'must be an integer number',
  number: 'must be a number',
  object: 'must be an object',
  array: 'must be an array',
};

/**
 * What each pattern under schemas/ asks of a value. A date, a date and time or an email address carries a
 * pattern beside its format (the strict form the hub accepts), so it reads as its format does.
 */
const PATTERN_REASONS: Record<string, string> = {
  '^(?!0000)[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-5][0-9](\\.[0-9]+)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$':
    FORMAT_REASONS['date-time']!,
  '^(?!0000)[0-9]{4}-[0-9]{2}-[0-9]{2}$': FORMAT_REASONS['date']!,
  '^[^@]{1,64}@([A-Za-z0-9-]{1,63}\\.)+([A-Za-z]{2,63}|xn--[A-Za-z0-9-]{2,59})$': FORMAT_REASONS['email']!,
  '^(https?|ftp)://': 'must be a code system URI (http, https or ftp)',
  '^[A-Za-z0-9._:/-]+$': 'must be 1 to 200 of A-Z a-z 0-9 . _ : / -',
  '^[0-9 +()-]{6,20}$': 'must be a telephone number',
  '^[0-9]{6}$': 'must be a 6-digit school URN',
  '^[a-z][a-z0-9-]{1,49}$': 'must be a lower-case code such as concealed-address',
  '^[A-Z0-9]{3,10}$': 'must be an ODS organisation code',
  '^(E[0-9]{1,2}[A-Z]?|X1)$': 'must be an SSDA903 reason episode ceased code',
  '^[0-9]{1,2}[A-Z]?$': 'must be a CIN census assessment factor code',
  '^urn:jigsaw:org:(council|police|health|education|hub):[a-z0-9][a-z0-9-]*$':
    'must be an organisation of the partnership (urn:jigsaw:org:<agency>:<code>)',
  '^(council|police|health|education|hub)\\.[a-z][a-z0-9-]*$': 'must be an event type (<agency>.<name>)',
  '^urn:jigsaw:schema:[a-z0-9.-]+:v[0-9]+$': 'must name a schema (urn:jigsaw:schema:<type>:v<n>)',
};

function reasonOf(error: ErrorObject): string {
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not allowed';
    case 'enum':
      return `must be one of ${(error.params['allowedValues'] as unknown[]).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(error.params['allowedValue'])}`;
    case 'format': {
      const format = String(error.params['format']);
      // An identifier says which of its checks it fails (its length, its check digit or letter).
      const identifier =
        format === 'nhs-number'
          ? nhsNumberProblem(error.data)
          : format === 'upn'
            ? upnProblem(error.data)
            : undefined;
      return identifier ?? FORMAT_REASONS[format] ?? `must be a valid ${format}`;
    }
    case 'type':
      return TYPE_REASONS[String(error.params['type'])] ?? error.message ?? 'is invalid';
    case 'pattern':
      return PATTERN_REASONS[String(error.params['pattern'])] ?? error.message ?? 'is invalid';
    case 'minLength':
      return error.params['limit'] === 1 ? 'must not be empty' : (error.message ?? 'is too short');
    default:
      return error.message ?? 'is invalid';
  }
}

/** Ajv reports the same field several times through `anyOf` and `if`; keep the clearest report per field. */
function toProblems(errors: readonly ErrorObject[] | null | undefined, prefix = ''): FieldProblem[] {
  const problems = new Map<string, string>();
  for (const error of errors ?? []) {
    if (error.keyword === 'if' || error.keyword === 'anyOf') continue;
    const field = fieldOf(error, prefix);
    if (!problems.has(field)) problems.set(field, reasonOf(error));
  }
  if (problems.size === 0 && errors?.some((e) => e.keyword === 'anyOf' && e.instancePath === '/data/child')) {
    problems.set(`${prefix ? prefix + '.' : ''}data.child`, 'must carry an nhsNumber, a upn or localIds');
  }
  return [...problems].map(([field, reason]) => ({ field, reason }));
}

/**
 * Every JSON Schema under schemas/, compiled once. CloudEvents are validated against the current envelope
 * schema and their `data.record` against the schema their `dataschema` names.
 */
export class SchemaRegistry {
  private readonly ajv: Ajv2020;
  private readonly envelope: ValidateFunction;
  private readonly dataSchemas = new Map<string, ValidateFunction>();
  private readonly latest = new Map<string, number>();
  private readonly shared = new Set<string>();

  constructor(directory: string = join(repoRoot(), 'schemas')) {
    // verbose: each error carries the value it is about, so an identifier can say which check it fails.
    this.ajv = new Ajv2020({
      allErrors: true,
      strict: true,
      strictRequired: false,
      allowUnionTypes: true,
      verbose: true,
    });
    // ajv-formats is CommonJS; under NodeNext its default import is the module object.
    formatsPlugin.default(this.ajv);
    this.ajv.addFormat('nhs-number', { type: 'string', validate: (v: string) => !nhsNumberProblem(v) });
    this.ajv.addFormat('upn', { type: 'string', validate: (v: string) => !upnProblem(v) });
    for (const file of schemaFiles(directory)) {
      const schema = JSON.parse(readFileSync(file, 'utf8')) as { $id?: string };
      if (!schema.$id) throw new Error(`schema ${file} has no $id`);
      this.ajv.addSchema(schema);
      const match = DATASCHEMA.exec(schema.$id);
      if (match && !ENVELOPE_SCHEMA.test(schema.$id)) {
        const [, type = '', version = '0'] = match;
        this.latest.set(type, Math.max(this.latest.get(type) ?? 0, Number(version)));
        if (relative(directory, file).split(sep)[0] === CONTROL_FOLDER) this.shared.add(type);
      }
    }
    const envelope = this.ajv.getSchema(CLOUD_EVENT_SCHEMA);
    if (!envelope) throw new Error(`no envelope schema ${CLOUD_EVENT_SCHEMA} under ${directory}`);
    this.envelope = envelope;
  }

  /** Event types with a schema, and the newest version of each; control kinds appear without an agency. */
  get types(): ReadonlyMap<string, number> {
    return this.latest;
  }

  /** Control kinds whose one schema every agency's `<agency>.<kind>` events use. */
  get controlKinds(): ReadonlySet<string> {
    return this.shared;
  }

  /** Whether an envelope of this type may name a schema of `named`: its own, or its control kind's. */
  private schemaFits(type: string, named: string | undefined): boolean {
    if (named === undefined) return false;
    if (named === type) return true;
    const dot = type.indexOf('.');
    return this.shared.has(named) && dot > 0 && type.slice(dot + 1) === named;
  }

  dataValidator(dataschema: string): ValidateFunction | undefined {
    let validate = this.dataSchemas.get(dataschema);
    if (!validate) {
      validate = this.ajv.getSchema(dataschema);
      if (validate) this.dataSchemas.set(dataschema, validate);
    }
    return validate;
  }

  /** Every problem with a CloudEvent and its record, by field; empty when it is valid. */
  validateEnvelope(value: unknown): FieldProblem[] {
    const problems = this.envelope(value) ? [] : toProblems(this.envelope.errors);
    if (typeof value !== 'object' || value === null) return problems;
    const { type, dataschema } = value as { type?: unknown; dataschema?: unknown };
    const wrapper = (value as { data?: unknown }).data;
    const data =
      typeof wrapper === 'object' && wrapper !== null ? (wrapper as { record?: unknown }).record : undefined;
    if (typeof type !== 'string' || typeof dataschema !== 'string') return problems;
    const match = DATASCHEMA.exec(dataschema);
    if (!match || !this.schemaFits(type, match[1])) {
      return [...problems, { field: 'dataschema', reason: `must name a schema of type ${type}` }];
    }
    const validate = this.dataValidator(dataschema);
    if (!validate) return [...problems, { field: 'dataschema', reason: 'is not a known schema' }];
    if (typeof data !== 'object' || data === null || validate(data)) return problems;
    return [...problems, ...toProblems(validate.errors, 'data.record')];
  }

  /** Validates one event type's record on its own (adapters and examples use this). */
  validateData(dataschema: string, data: unknown): FieldProblem[] {
    const validate = this.dataValidator(dataschema);
    if (!validate) return [{ field: 'dataschema', reason: 'is not a known schema' }];
    return validate(data) ? [] : toProblems(validate.errors, 'data.record');
  }
}
