import { readdirSync, readFileSync } from 'node:fs';

// Where an event's CPU time goes, across every process that handles it: read from the kernel's per-process
// counters, so it is a measurement, not a guess, and it does not depend on what else the machine is doing.

const TICKS_PER_SECOND = 100;

/** User plus system CPU a process has used, in milliseconds (0 once it has gone). */
export function cpuMsOf(pid: number): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }
  // The command name may hold spaces; the fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** Bytes a process has passed to write() and its kin (0 once it has gone): WAL and data files, for PostgreSQL. */
export function writtenBytesOf(pid: number): number {
  try {
    return Number(/^wchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Processes whose command line matches. */
export function pidsMatching(pattern: RegExp): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (pattern.test(command)) pids.push(Number(entry));
    } catch {
      // gone between the listing and the read
    }
  }
  return pids;
}

/** CPU (or, given `measure`, another counter) used by named groups of processes between two points of a run. */
export class CpuMeter {
  private readonly start = new Map<string, Map<number, number>>();

  constructor(
    private readonly groups: Record<string, () => number[]>,
    private readonly measure: (pid: number) => number = cpuMsOf,
  ) {}

  begin(): void {
    for (const [name, pids] of Object.entries(this.groups)) {
      this.start.set(name, new Map(pids().map((pid) => [pid, this.measure(pid)])));
    }
  }

  /** Milliseconds of CPU each group used since `begin`; processes started since count from zero. */
  end(): Record<string, number> {
    const used: Record<string, number> = {};
    for (const [name, pids] of Object.entries(this.groups)) {
      const before = this.start.get(name) ?? new Map<number, number>();
      used[name] = pids().reduce((sum, pid) => sum + this.measure(pid) - (before.get(pid) ?? 0), 0);
    }
    return used;
  }
}
