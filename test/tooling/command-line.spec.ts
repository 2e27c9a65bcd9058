import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { repoRoot } from '@jigsaw/config';

const run = (node: string, script: string, ...args: string[]) => {
  const result = spawnSync(node, [join(repoRoot(), script), ...args], {
    cwd: repoRoot(),
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};

/** Another major version of Node on this machine than the one running the tests, if any. */
function otherNode(): string | undefined {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node']) {
    const version = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    if (version.status === 0 && !version.stdout.startsWith(`v${process.versions.node.split('.')[0]}.`)) {
      return candidate;
    }
  }
  return undefined;
}

describe('the command-line tools we ship', () => {
  it.each([
    ['infra/token.mjs', 'npm run token'],
    ['infra/start.mjs', 'npm start'],
    ['infra/migrate.mjs', 'npm run migrate'],
    ['infra/kafka/kafka.mjs', 'npm run kafka'],
    ['infra/build.mjs', 'npm run build'],
    ['infra/postgres.mjs', 'node infra/postgres.mjs'],
  ])('%s --help prints its usage and does nothing else', (script, usage) => {
    for (const flag of ['--help', '-h']) {
      const { status, stdout, stderr } = run(process.execPath, script, flag);
      expect({ status, stderr: stderr.replace(/^\[jigsaw\].*\n/gm, '') }).toEqual({ status: 0, stderr: '' });
      expect(stdout.startsWith(`usage: ${usage}`)).toBe(true);
    }
  });

  it('the token tool names a wrong option and shows its usage, without a stack trace', () => {
    const { status, stdout, stderr } = run(process.execPath, 'infra/token.mjs', '--agnecy', 'police');
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain("Unknown option '--agnecy'");
    expect(stderr).toContain('usage: npm run token');
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('npm start runs itself on Node 24 when started by another Node', () => {
    const node = otherNode();
    if (!node) {
      console.warn('SKIPPING: no other Node than this one on this machine');
      return;
    }
    const { status, stdout, stderr } = run(node, 'infra/start.mjs', '--help');
    expect(status).toBe(0);
    expect(stderr).toMatch(/^\[jigsaw\] this is Node v(?!24\.)\d+\.\S+; running on .+node$/m);
    expect(stdout).toMatch(/^Runs on Node v24\.\d+\.\d+\. Environment:$/m);
  });
});
