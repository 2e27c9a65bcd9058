import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { repoRoot } from '@jigsaw/config';
import { STORED_CONTRACTS } from '@jigsaw/contracts';
import ts from 'typescript';

// An event type's name is written once, in its contract (libs/contracts/src/<agency>/<type>/contract.ts),
// and every other module imports the constant from @jigsaw/contracts, so a type renamed or dropped there
// fails to compile wherever it is used, rather than leaving a copy behind that silently matches nothing.
// The names are the ones a stored event may carry, read from the registry: each agency and hub type, and
// each control kind once per agency (`police.record-retracted`). A bare kind (`record-retracted`) is no
// event type: the same words are also recall and hiding reasons, so bare kinds are not looked for.
//
// Only string literals whose whole text is a name count: comments may name a type, and a longer string
// that merely contains one (a `dataschema` urn, `urn:jigsaw:schema:police.<type>:v1`) is another string.
// Specs are left out: a test states the wire value it expects on purpose.
const root = repoRoot();
const OWNER = 'libs/contracts/';
const SEARCHED = ['apps', 'libs'];
const SOURCE = /\.ts$/;
const SPEC = /[.-]spec\.ts$/;
const SKIPPED = new Set(['node_modules', 'dist', 'coverage', '.data', 'test-artifacts', 'reports']);

function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (SOURCE.test(entry.name) && !SPEC.test(entry.name)) yield path;
  }
}

/** Every string literal ('...', "..." or `...`, in values or types) of `code` that is one of `names`. */
function literalsNaming(
  code: string,
  file: string,
  names: ReadonlySet<string>,
): { line: number; name: string }[] {
  const source = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: { line: number; name: string }[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isStringLiteral(node) ||
        ts.isNoSubstitutionTemplateLiteral(node) ||
        ts.isTemplateLiteralToken(node)) &&
      names.has(node.text)
    ) {
      found.push({ line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, name: node.text });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('event type names', () => {
  const names: ReadonlySet<string> = new Set(STORED_CONTRACTS.keys());

  it('are read from the contracts registry, control kinds once per agency', () => {
    for (const name of [
      'police.missing-episode-ended',
      'education.pupil-on-roll',
      'hub.record-accessed',
      'health.record-retracted',
      'council.consent-withdrawn',
    ]) {
      expect(names).toContain(name);
    }
    expect(names).not.toContain('record-retracted');
  });

  it('are recognised as literals however quoted, and not in comments or longer strings', () => {
    const code = [
      "const a = 'police.missing-episode-ended';",
      'const b = "hub.record-accessed";',
      'const c = `education.pupil-on-roll`;',
      "type D = Envelope<'health.was-not-brought'>;",
      "switch (t) { case 'council.referral-received': break; }",
      '// police.missing-episode-ended, `hub.record-accessed`',
      "/** Recorded as 'hub.access-claimed'. */",
      "const e = 'urn:jigsaw:schema:police.missing-episode-ended:v1';",
      'const f = `${agency}.record-retracted`;',
      "const g = 'record-retracted';",
    ].join('\n');
    expect(literalsNaming(code, 'snippet.ts', names)).toEqual([
      { line: 1, name: 'police.missing-episode-ended' },
      { line: 2, name: 'hub.record-accessed' },
      { line: 3, name: 'education.pupil-on-roll' },
      { line: 4, name: 'health.was-not-brought' },
      { line: 5, name: 'council.referral-received' },
    ]);
  });

  it('are written by no file under apps/ or libs/ outside libs/contracts: the others import them', () => {
    const offenders: string[] = [];
    for (const top of SEARCHED) {
      for (const path of sources(join(root, top))) {
        const file = relative(root, path);
        if (file.startsWith(OWNER)) continue;
        const code = readFileSync(path, 'utf8');
        for (const { line, name } of literalsNaming(code, file, names)) {
          offenders.push(`${file}:${line}: '${name}'`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});
