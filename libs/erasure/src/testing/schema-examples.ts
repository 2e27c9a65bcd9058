import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@jigsaw/config';
import { fromCloudEvent, type JigsawCloudEvent, type RecordedEvent } from '@jigsaw/envelope';

/** Every valid example event under schemas/, as the hub records it (with a hub child id). */
export function recordedExamples(): [string, RecordedEvent][] {
  const root = join(repoRoot(), 'schemas');
  const found: [string, RecordedEvent][] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (path.includes('/examples/valid/') && entry.name.endsWith('.json')) {
        // Examples of the hub's own events carry their child id already; agencies' do not.
        const event = fromCloudEvent(JSON.parse(readFileSync(path, 'utf8')) as JigsawCloudEvent);
        found.push([
          path.slice(root.length + 1),
          {
            ...event,
            childid: event.childid ?? randomUUID(),
            recordedtime: event.recordedtime ?? '2026-11-22T09:00:00.000Z',
          },
        ]);
      }
    }
  };
  walk(root);
  return found.sort(([a], [b]) => a.localeCompare(b));
}
