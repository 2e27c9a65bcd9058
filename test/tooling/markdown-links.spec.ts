import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { repoRoot } from '@jigsaw/config';

const checker = join(repoRoot(), 'infra/check-links.mjs');
const check = (directory: string) => {
  const result = spawnSync(process.execPath, [checker, directory], { encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};

const directories: string[] = [];
/** A throwaway repository holding these files. */
function repository(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'jigsaw-links-'));
  directories.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

const page = [
  '# Operating',
  '## The CP-IS flag over FHIR',
  '## `audit erase`, and *why*',
  '## Sign-in',
  '## Sign-in',
  '<a id="custom"></a>',
  '```',
  '[inside a fence](nowhere.md)',
  '## Not a heading inside a fence',
  '```',
  'Inline `[code](nowhere.md)` is not a link.',
].join('\n');

describe('the Markdown link check run by npm run lint', () => {
  it('passes the project’s own pages', () => {
    const { status, stdout, stderr } = check(repoRoot());
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    expect(stdout).toMatch(/^links: \d+ links in \d+ Markdown files, none broken/);
  });

  it('accepts files, folders and anchors that exist, as GitHub names headings', () => {
    const root = repository({
      'docs/operating.md': page,
      'src/code.ts': '',
      'README.md': [
        '[a](docs/operating.md) [b](docs/operating.md#the-cp-is-flag-over-fhir) [c](./src/)',
        '[d](docs/operating.md#audit-erase-and-why "title") [e](docs/operating.md#sign-in-1)',
        '[f](docs/operating.md#custom) [g](#jigsaw) ![h](src/code.ts) [i](https://example.org/#x)',
        '[j](</docs/operating.md#sign-in>) [k][ref]',
        '',
        '[ref]: src/code.ts',
        '# Jigsaw',
      ].join('\n'),
    });
    expect(check(root)).toEqual({
      status: 0,
      stdout: 'links: 11 links in 2 Markdown files, none broken\n',
      stderr: '',
    });
  });

  it('fails naming each missing file, missing anchor and link out of the repository', () => {
    const root = repository({
      'docs/operating.md': page,
      'README.md': [
        'See [the old page](docs/operations.md), [a heading](docs/operating.md#telemetry) and',
        '[the third Sign-in](docs/operating.md#sign-in-2), [here](#nothing-here),',
        '[elsewhere](../shared/DESIGN.md) and [a reference][ref].',
        '',
        '[ref]: missing/file.md',
      ].join('\n'),
    });
    const { status, stdout, stderr } = check(root);
    expect({ status, stdout }).toEqual({ status: 1, stdout: '' });
    expect(stderr.split('\n')).toEqual([
      'README.md:1: docs/operations.md: no such file or folder',
      'README.md:1: docs/operating.md#telemetry: no heading or anchor #telemetry in docs/operating.md',
      'README.md:2: docs/operating.md#sign-in-2: no heading or anchor #sign-in-2 in docs/operating.md',
      'README.md:2: #nothing-here: no heading or anchor #nothing-here in README.md',
      'README.md:3: ../shared/DESIGN.md: it leaves the repository, so a clone does not have it',
      'README.md:5: missing/file.md: no such file or folder',
      '6 broken link(s) in 2 Markdown files',
      '',
    ]);
  });

  it('finds a link broken in a page of docs/, and a heading renamed away', () => {
    const root = repository({
      'docs/auditing.md': '# Auditing\n\nSee [Operating](operating.md#the-cp-is-flag-over-fhir).\n',
      'docs/operating.md': page.replace('## The CP-IS flag over FHIR', '## CP-IS over FHIR'),
    });
    const { status, stderr } = check(root);
    expect(status).toBe(1);
    expect(stderr).toContain(
      'docs/auditing.md:3: operating.md#the-cp-is-flag-over-fhir: no heading or anchor #the-cp-is-flag-over-fhir in docs/operating.md',
    );
  });
});
