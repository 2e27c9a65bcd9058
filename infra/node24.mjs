// The hub runs on Node 24 (package.json engines). A script that imports this, started by another Node,
// runs itself again on Node 24: the one in JIGSAW_NODE_HOME (default ~/.cache/jigsaw/node24), installed
// there from npm's `node@24` package the first time, as .ci/run does.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const REQUIRED_NODE_MAJOR = 24;

const major = Number(process.versions.node.split('.')[0]);

if (major !== REQUIRED_NODE_MAJOR) {
  const home = process.env.JIGSAW_NODE_HOME || join(homedir(), '.cache/jigsaw/node24');
  const node = join(home, 'node_modules/node/bin/node');
  const say = (message) => process.stderr.write(`[jigsaw] ${message}\n`);
  if (!existsSync(node)) {
    say(
      `this is Node ${process.version}; installing Node ${REQUIRED_NODE_MAJOR} (npm package node@${REQUIRED_NODE_MAJOR}) into ${home}`,
    );
    execFileSync(
      'npm',
      ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', home, `node@${REQUIRED_NODE_MAJOR}`],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
  }
  say(`this is Node ${process.version}; running on ${node}`);
  const child = spawn(node, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  // Ctrl-C reaches the child too (same process group); it stops its services, then this one exits with it.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  const code = await new Promise((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
  process.exit(code);
}
