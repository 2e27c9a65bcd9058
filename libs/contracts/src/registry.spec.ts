import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { repoRoot } from '@jigsaw/config';
import { AGENCIES, type Agency } from '@jigsaw/envelope';
import type { Contract } from './contract.js';
import { CONTRACTS, contractOf, STORED_CONTRACTS } from './registry.js';

interface SchemaNode {
  $id?: string;
  type?: string | string[];
  enum?: unknown;
  const?: unknown;
  format?: string;
  pattern?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

const root = repoRoot();
const contracts: readonly Contract[] = Object.values<Contract>(CONTRACTS);
const schemaOf = (contract: Contract): SchemaNode =>
  JSON.parse(readFileSync(join(root, contract.schema), 'utf8')) as SchemaNode;

/** Every data schema's type under schemas/: control kinds by kind, the rest as `<folder>.<name>`. */
function typesInSchemas(): string[] {
  return readdirSync(join(root, 'schemas'), { withFileTypes: true })
    .filter((folder) => folder.isDirectory() && folder.name !== 'envelope')
    .flatMap((folder) =>
      readdirSync(join(root, 'schemas', folder.name), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => (folder.name === 'control' ? entry.name : `${folder.name}.${entry.name}`)),
    );
}

/** Every dotted path into the data a schema allows, objects and their fields alike. */
function pathsOf(node: SchemaNode, path: string[] = []): string[] {
  const own = path.length > 0 ? [path.join('.')] : [];
  const children = Object.entries(node.properties ?? {}).flatMap(([key, child]) =>
    pathsOf(child, [...path, key]),
  );
  const items = node.items ? pathsOf(node.items, path).filter((item) => item !== path.join('.')) : [];
  return [...own, ...children, ...items];
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

const covered = (paths: readonly string[], path: string): boolean =>
  paths.some((listed) => listed === path || path.startsWith(`${listed}.`));

describe('the registry of event types', () => {
  it('has a contract for every data schema under schemas/, and no other', () => {
    expect(contracts.map((contract) => contract.type).sort()).toEqual(typesInSchemas().sort());
  });

  it('files each contract under its own type, with its own schema as the one source of its shape', () => {
    for (const [type, contract] of Object.entries(CONTRACTS)) {
      expect(contract.type).toBe(type);
      const folder = contract.source === 'control' ? 'control' : contract.source;
      const name = contract.source === 'control' ? type : type.slice(type.indexOf('.') + 1);
      expect([type, contract.schema]).toEqual([type, `schemas/${folder}/${name}/v1.json`]);
      expect([type, existsSync(join(root, contract.schema))]).toEqual([type, true]);
      expect([type, schemaOf(contract).$id]).toEqual([type, `urn:jigsaw:schema:${type}:v1`]);
      if (contract.source !== 'control' && contract.source !== 'hub') {
        expect(type.startsWith(`${contract.source}.`)).toBe(true);
      }
    }
  });

  it('finds the contract of every stored type, each control kind under every agency, and of nothing else', () => {
    for (const contract of contracts) {
      if (contract.source === 'control') {
        for (const agency of AGENCIES) expect(contractOf(`${agency}.${contract.type}`)).toBe(contract);
        expect(contractOf(contract.type)).toBeUndefined();
        expect(contractOf(`hub.${contract.type}`)).toBeUndefined();
      } else {
        expect(contractOf(contract.type)).toBe(contract);
      }
    }
    expect(STORED_CONTRACTS.size).toBe(
      contracts.length + contracts.filter((c) => c.source === 'control').length * (AGENCIES.length - 1),
    );
    for (const unknown of ['police.unknown', 'police', '', '.consent-withdrawn', 'toString', '__proto__']) {
      expect([unknown, contractOf(unknown)]).toEqual([unknown, undefined]);
    }
  });
});

describe("each contract's audience cut", () => {
  it('names only fields its schema has', () => {
    const unknown = contracts.flatMap((contract) => {
      const paths = pathsOf(schemaOf(contract));
      return Object.entries(contract.audience ?? {}).flatMap(([agency, fields]) =>
        (fields ?? [])
          .filter((field) => !paths.includes(field))
          .map((field) => `${contract.type} ${agency}: ${field}`),
      );
    });
    expect(unknown).toEqual([]);
  });

  it('names each field once, and only agencies', () => {
    for (const contract of contracts) {
      for (const [agency, fields] of Object.entries(contract.audience ?? {})) {
        expect([contract.type, AGENCIES.includes(agency as Agency)]).toEqual([contract.type, true]);
        expect([contract.type, agency, new Set(fields).size]).toEqual([
          contract.type,
          agency,
          fields?.length,
        ]);
      }
    }
  });
});

describe("each contract's personal data", () => {
  it("decides, for every free-text field of its schema, whether it is the child's personal data", () => {
    const undecided = contracts.flatMap((contract) =>
      freeText(schemaOf(contract))
        .filter((path) => !covered(contract.personalData, path) && !covered(contract.kept, path))
        .map((path) => `${contract.schema}: data.${path}`),
    );
    expect(undecided).toEqual([]);
  });

  it('names only fields that exist, and never one as both personal and kept', () => {
    for (const contract of contracts) {
      const fields = freeText(schemaOf(contract));
      for (const [path, other] of [
        ...contract.personalData.map((path) => [path, contract.kept] as const),
        ...contract.kept.map((path) => [path, contract.personalData] as const),
      ]) {
        const exists = fields.some((field) => field === path || field.startsWith(`${path}.`));
        expect([contract.type, path, exists]).toEqual([contract.type, path, true]);
        expect([contract.type, path, covered(other, path)]).toEqual([contract.type, path, false]);
      }
    }
  });
});

describe("each contract's label and view facts", () => {
  it('labels every record an agency shares, and the decision not to share, each differently', () => {
    const labelled = contracts.filter((contract) => contract.label !== null);
    expect(labelled.map((contract) => contract.type).sort()).toEqual(
      contracts
        .filter((contract) => contract.audience !== null || contract.type === 'sharing-declined')
        .map((contract) => contract.type)
        .sort(),
    );
    for (const { type, label } of labelled)
      expect([type, (label ?? '').trim().length > 0]).toEqual([type, true]);
    expect(new Set(labelled.map((contract) => contract.label)).size).toBe(labelled.length);
  });

  it('gives the view the facts of exactly the records the agencies share, reading only fields they have', () => {
    for (const contract of contracts) {
      expect([contract.type, contract.view !== null]).toEqual([contract.type, contract.audience !== null]);
      if (!contract.view) continue;
      expect([contract.type, AGENCIES.includes(contract.source as Agency)]).toEqual([contract.type, true]);
      expect([contract.type, contract.view.at.length > 0]).toEqual([contract.type, true]);
      const paths = pathsOf(schemaOf(contract));
      for (const at of contract.view.at)
        expect([contract.type, at, paths.includes(at)]).toEqual([contract.type, at, true]);
    }
  });
});
