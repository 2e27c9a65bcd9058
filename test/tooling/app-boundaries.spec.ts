import { describe, expect, it } from '@jest/globals';
import { repoRoot } from '@jigsaw/config';
import { ESLint } from 'eslint';

// The project's own eslint.config.mjs, as `npm run lint` runs it, on snippets placed at several folder
// depths. The snippets are linted as `.mjs` files, which skips the type-aware TypeScript rules (they would
// load the whole program, a minute on a busy machine); a test below shows `.ts` files get the same rule.
const eslint = new ESLint({ cwd: repoRoot() });

/** The import-boundary messages ESLint gives `code` as if it were the file at `filePath`. */
async function boundaryProblems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  expect(result!.messages.filter((m) => m.fatal)).toEqual([]);
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const crossing = (source: string, app: string) =>
  `'${source}' import is restricted from being used by a pattern. ` +
  `apps/${app} may import libs (@jigsaw/*), never another app: move what both need into a lib.`;

describe('lint forbids importing one app from another', () => {
  it.each([
    [
      'apps/audit/src/snippet.mjs',
      'import { VIEW_SCHEMA } from',
      '../../safeguarding-view/src/view-schema.js',
      'audit',
    ],
    [
      'apps/audit/src/as-known-at/snippet.mjs',
      'export { ChildLinks } from',
      '../../../safeguarding-view/src/identity/child-links.js',
      'audit',
    ],
    [
      'apps/audit/src/as-known-at/snippet.mjs',
      'export * from',
      '../../../../apps/police/src/police.catalogue.js',
      'audit',
    ],
    [
      'apps/safeguarding-view/src/snippet.mjs',
      'import { AUDIT_COMMANDS } from',
      '../../audit/src/commands/index.js',
      'safeguarding-view',
    ],
    [
      'apps/police/src/missing-episode/deeper/snippet.mjs',
      'import',
      '../../../../education/src/education.catalogue.js',
      'police',
    ],
    [
      'apps/safeguarding-view/console/snippet.mjs',
      'import',
      './../../audit/src/main.js',
      'safeguarding-view',
    ],
  ])('%s: refuses %s %s', async (filePath, statement, source, app) => {
    expect(await boundaryProblems(filePath, `${statement} '${source}';\n`)).toEqual([crossing(source, app)]);
  });

  it('applies the same rule to TypeScript files as to the snippets', async () => {
    const ruleFor = async (path: string) =>
      ((await eslint.calculateConfigForFile(path)) as { rules: Record<string, unknown> }).rules[
        'no-restricted-imports'
      ];
    const ts = await ruleFor('apps/audit/src/as-known-at/as-known-at.ts');
    expect(ts).toBeDefined();
    expect(ts).toEqual(await ruleFor('apps/audit/src/as-known-at/snippet.mjs'));
  });

  it('refuses a lib importing an app', async () => {
    expect(
      await boundaryProblems(
        'libs/view-model/src/access/snippet.mjs',
        "export { ChildAccessGate } from '../../../../apps/safeguarding-view/src/children/child-access.gate.js';\n",
      ),
    ).toEqual([
      "'../../../../apps/safeguarding-view/src/children/child-access.gate.js' import is restricted from being used by a pattern. A lib never imports an app: apps build on libs, not the other way round.",
    ]);
  });

  it('allows libs, the app’s own files at any depth, and packages', async () => {
    expect(
      await boundaryProblems(
        'apps/audit/src/as-known-at/snippet.mjs',
        [
          "export { AccessLog } from '@jigsaw/view-model';",
          "export { AUDIT_COMMANDS } from '../commands/index.js';",
          "export { AppModule } from '../app.module.js';",
          "export { Injectable } from '@nestjs/common';",
          "export { x } from './beside.js';",
          "export { y } from '../../../audit/src/audit.js';",
          '',
        ].join('\n'),
      ),
    ).toEqual([]);
  });
});

describe('lint keeps libs/contracts on the envelope alone', () => {
  const refused = (source: string) =>
    `'${source}' import is restricted from being used by a pattern. libs/contracts imports only @jigsaw/envelope and @jigsaw/errors.`;

  it.each([
    ['@jigsaw/sharing'],
    ['@jigsaw/config'],
    ['../../../../sharing/src/index.js'],
    ['../../../../../apps/police/src/police.catalogue.js'],
  ])('refuses %s', async (source) => {
    expect(
      await boundaryProblems('libs/contracts/src/police/x/snippet.mjs', `export * from '${source}';\n`),
    ).toEqual([refused(source)]);
  });

  it('allows the envelope, the errors and its own files', async () => {
    expect(
      await boundaryProblems(
        'libs/contracts/src/police/x/snippet.mjs',
        [
          "export { AGENCIES } from '@jigsaw/envelope';",
          "export { JigsawError } from '@jigsaw/errors';",
          "export { CONTRACTS } from '../../registry.js';",
          '',
        ].join('\n'),
      ),
    ).toEqual([]);
  });
});
