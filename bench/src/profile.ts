import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export interface Hotspot {
  where: string;
  selfPercent: number;
}

/** The functions a V8 CPU profile spent most of its own time in, grouped by package or file. */
export async function hotspots(directory: string, top = 12): Promise<Hotspot[]> {
  const files = (await readdir(directory).catch(() => [])).filter((f) => f.endsWith('.cpuprofile'));
  const totals = new Map<string, number>();
  let all = 0;
  for (const file of files) {
    const profile = JSON.parse(await readFile(join(directory, file), 'utf8')) as { nodes: ProfileNode[] };
    for (const node of profile.nodes) {
      const hits = node.hitCount ?? 0;
      if (hits === 0) continue;
      const { functionName, url } = node.callFrame;
      const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
      const where = module
        ? `${module}: ${functionName || '(anonymous)'}`
        : url
          ? `${url.replace(/^.*\/(dist|node:internal)\//, '$1/')}: ${functionName || '(anonymous)'}`
          : functionName || '(native)';
      totals.set(where, (totals.get(where) ?? 0) + hits);
      all += hits;
    }
  }
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([where, hits]) => ({ where, selfPercent: Math.round((hits * 1000) / all) / 10 }));
}
