#!/usr/bin/env node
// Cleans up after a fault-test run, however it ends. Every process the run starts (Kafka, PostgreSQL, the
// services) inherits FAULTS_DIR=<run directory> in its environment; `sweep` ends exactly those, by pid.
//
//   node reaper.mjs <jest pid> <run directory>
// watches the test runner: if it dies without cleaning up (killed, crashed), the reaper sweeps and removes
// the run directory. It leaves by itself once the run directory is gone (a normal teardown).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const MARKER = 'FAULTS_DIR';

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Pids of the processes started for this run: those whose environment names its directory. */
export function runProcesses(runDir, except = []) {
  const wanted = `${MARKER}=${runDir}`;
  const found = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || except.includes(pid)) continue;
    try {
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      if (environ.includes(wanted)) found.push(pid);
    } catch {
      // gone already, or not ours to read
    }
  }
  return found;
}

/** Ends every process of the run (SIGKILL: the data is thrown away with the run directory). */
export async function sweep(runDir, except = []) {
  const pids = runProcesses(runDir, [process.pid, ...except]);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + 10_000;
  while (pids.some(alive) && Date.now() < deadline) await sleep(100);
  return pids;
}

/** Starts a detached reaper watching `parentPid` (it carries no marker, so a sweep leaves it be). */
export function startReaper(parentPid, runDir) {
  const env = { ...process.env };
  delete env[MARKER];
  spawn(process.execPath, [fileURLToPath(import.meta.url), String(parentPid), runDir], {
    detached: true,
    stdio: 'ignore',
    env,
  }).unref();
}

async function watch(parentPid, runDir) {
  for (;;) {
    if (!existsSync(runDir)) return;
    if (!alive(parentPid)) {
      await sweep(runDir);
      rmSync(runDir, { recursive: true, force: true });
      return;
    }
    await sleep(1000);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [parent, runDir] = process.argv.slice(2);
  if (!parent || !runDir) {
    process.stderr.write('usage: node reaper.mjs <pid> <run directory>\n');
    process.exit(2);
  }
  await watch(Number(parent), runDir);
}
