import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface Target {
  name: string;
  target: string;
  measured: string;
  met: boolean;
}

export interface BenchReport {
  startedAt: string;
  machine: { cpus: number; memoryGb: number; node: string };
  results: Record<string, unknown>;
  targets: Target[];
  hotspots: Record<string, { where: string; selfPercent: number }[]>;
}

function bars(title: string, entries: [string, number][], unit: string, y: number): string {
  const max = Math.max(...entries.map(([, v]) => v), 1);
  const rows = entries.map(([label, value], i) => {
    const width = Math.max(1, (value / max) * 420);
    const top = y + 30 + i * 28;
    return `<text x="10" y="${top + 15}" font-size="13">${label}</text>
<rect x="230" y="${top}" width="${width.toFixed(1)}" height="20" fill="#2b6cb0"/>
<text x="${(236 + width).toFixed(1)}" y="${top + 15}" font-size="12">${value} ${unit}</text>`;
  });
  return `<text x="10" y="${y + 16}" font-size="15" font-weight="bold">${title}</text>\n${rows.join('\n')}`;
}

export function chart(throughput: [string, number][], latency: [string, number][]): string {
  const height = 80 + (throughput.length + latency.length) * 28 + 60;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="760" height="${height}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
${bars('Throughput (events per second, same run)', throughput, 'ev/s', 10)}
${bars('Latency (milliseconds)', latency, 'ms', 50 + throughput.length * 28)}
</svg>\n`;
}

export function markdown(report: BenchReport): string {
  const lines = [
    `# Jigsaw benchmark, ${report.startedAt}`,
    '',
    `Machine: ${report.machine.cpus} cores, ${report.machine.memoryGb} GiB, Node ${report.machine.node}.`,
    '',
    '| target | goal | measured | |',
    '| --- | --- | --- | --- |',
    ...report.targets.map(
      (t) => `| ${t.name} | ${t.target} | ${t.measured} | ${t.met ? 'met' : '**not met**'} |`,
    ),
    '',
    '## Results',
    '',
    '```json',
    JSON.stringify(report.results, null, 2),
    '```',
  ];
  for (const [name, spots] of Object.entries(report.hotspots)) {
    lines.push(
      '',
      `## Where the time goes: ${name} (CPU profile, self time)`,
      '',
      '| where | self % |',
      '| --- | --- |',
    );
    lines.push(...spots.map((s) => `| ${s.where.replaceAll('|', '\\|')} | ${s.selfPercent} |`));
  }
  return `${lines.join('\n')}\n`;
}

export async function writeReport(directory: string, report: BenchReport, svg: string): Promise<string[]> {
  await mkdir(directory, { recursive: true });
  const files = [join(directory, 'bench.json'), join(directory, 'bench.md'), join(directory, 'bench.svg')];
  await writeFile(files[0]!, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(files[1]!, markdown(report));
  await writeFile(files[2]!, svg);
  return files;
}
