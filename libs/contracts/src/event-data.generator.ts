// Writes event-data.generated.ts, the TypeScript of each type's `data`, from its JSON Schema under schemas/
// (the one source of its shape): `npm run generate:contracts`. event-data.spec.ts
// fails when the file is not what this writes. Only node built-ins, so that node runs it as it is.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface SchemaNode {
  type?: string | string[];
  enum?: readonly unknown[];
  const?: unknown;
  description?: string;
  title?: string;
  required?: readonly string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

const pascal = (key: string): string =>
  key
    .split(/[.-]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');

const literal = (value: unknown): string =>
  typeof value === 'string'
    ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
    : JSON.stringify(value);

const comment = (text: string | undefined, indent: string): string =>
  text ? `${indent}/** ${text.replace(/\*\//g, '* /')} */\n` : '';

function typeOf(node: SchemaNode, indent: string): string {
  if (node.const !== undefined) return literal(node.const);
  if (node.enum) return node.enum.map(literal).join(' | ');
  const types = Array.isArray(node.type) ? node.type : [node.type];
  return types
    .map((type) => {
      switch (type) {
        case 'string':
          return 'string';
        case 'integer':
        case 'number':
          return 'number';
        case 'boolean':
          return 'boolean';
        case 'null':
          return 'null';
        case 'array': {
          const item = node.items ? typeOf(node.items, indent) : 'unknown';
          return /[ |]/.test(item) && !item.startsWith('{') ? `(${item})[]` : `${item}[]`;
        }
        case 'object':
          return node.properties ? objectOf(node, indent) : 'Record<string, unknown>';
        case undefined:
        default:
          return 'unknown';
      }
    })
    .join(' | ');
}

function objectOf(node: SchemaNode, indent: string): string {
  const inner = `${indent}  `;
  const required = new Set(node.required ?? []);
  const fields = Object.entries(node.properties ?? {}).map(
    ([key, child]) =>
      `${comment(child.description, inner)}${inner}${key}${required.has(key) ? '' : '?'}: ${typeOf(child, inner)};\n`,
  );
  return `{\n${fields.join('')}${indent}}`;
}

/** Each data schema under `root`/schemas, keyed as its contract is: control kinds by kind. */
export function dataSchemas(root: string): [key: string, schema: SchemaNode][] {
  const schemas = join(root, 'schemas');
  return readdirSync(schemas, { withFileTypes: true })
    .filter((folder) => folder.isDirectory() && folder.name !== 'envelope')
    .flatMap((folder) =>
      readdirSync(join(schemas, folder.name), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry): [string, SchemaNode] => [
          folder.name === 'control' ? entry.name : `${folder.name}.${entry.name}`,
          JSON.parse(readFileSync(join(schemas, folder.name, entry.name, 'v1.json'), 'utf8')) as SchemaNode,
        ]),
    )
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function eventDataSource(root: string): string {
  const schemas = dataSchemas(root);
  const interfaces = schemas.map(
    ([key, schema]) =>
      `${comment(schema.title, '')}export interface ${pascal(key)}Data ${objectOf(schema, '')}\n`,
  );
  const byType = schemas.map(([key]) => `  '${key}': ${pascal(key)}Data;\n`);
  return [
    '// Written by event-data.generator.ts from schemas/; do not edit.\n',
    ...interfaces,
    "/** Each contract's `data`, by its key in the registry (control kinds by kind). */\n",
    `export interface EventDataByType {\n${byType.join('')}}\n`,
  ].join('\n');
}

export const GENERATED = 'libs/contracts/src/event-data.generated.ts';

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(fileURLToPath(new URL('.', import.meta.url)), '../../..');
  writeFileSync(join(root, GENERATED), eventDataSource(root));
}
