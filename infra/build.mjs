// The one build: swc compiles apps, libs and bench into dist/ (decorator metadata, @jigsaw/* aliases
// rewritten), so `node dist/apps/<service>/src/main.js` runs each service. Types are checked by `npm run typecheck`.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function build() {
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules/@swc/cli/bin/swc.js'),
      'apps',
      'libs',
      'bench',
      '--out-dir',
      'dist',
      '--config-file',
      '.swcrc',
      '--copy-files',
      '--quiet',
    ],
    { cwd: root, stdio: 'inherit' },
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (['--help', '-h'].includes(process.argv[2])) {
    process.stdout.write('usage: npm run build\n\nCompiles apps, libs and bench into dist/ with swc.\n');
  } else build();
}
