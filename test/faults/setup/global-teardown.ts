import { rmSync } from 'node:fs';
import { sweep } from '../support/reaper.mjs';

/** Ends every process the run started (broker, database server, any service a failed test left) by pid. */
export default async function faultsGlobalTeardown(): Promise<void> {
  const runDir = process.env['FAULTS_DIR'];
  if (!runDir) return;
  const ended = await sweep(runDir);
  rmSync(runDir, { recursive: true, force: true });
  process.stderr.write(`[faults] stopped ${ended.length} processes, removed ${runDir}\n`);
}
