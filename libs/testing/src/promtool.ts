import { spawnSync } from 'node:child_process';

/**
 * Prometheus's own linter for the text exposition format (`promtool check metrics`, from Debian's
 * `prometheus` package). Absent on a developer's machine, its tests skip and say why; CI installs it and
 * sets JIGSAW_REQUIRE_PROMTOOL, so there a missing promtool fails instead.
 */
export function promtool():
  { check(exposition: string): { status: number | null; output: string } } | undefined {
  const found = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  if (found.error || found.status !== 0) {
    if (process.env['JIGSAW_REQUIRE_PROMTOOL']) throw new Error('promtool is required here but not on PATH');
    console.warn('SKIPPING promtool checks: promtool is not on PATH (apt-get install prometheus)');
    return undefined;
  }
  return {
    check: (exposition) => {
      const run = spawnSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
      return { status: run.status, output: `${run.stdout}${run.stderr}`.trim() };
    },
  };
}
