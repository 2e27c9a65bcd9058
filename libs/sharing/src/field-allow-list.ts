import type { FieldAllowList } from '@jigsaw/contracts';
import { isRecord } from './is-record.js';
import type { Viewer } from './viewer.js';

/** Cuts one event's data down to what a (non-owning) viewer needs. Must return only copies. */
export type Redaction = (data: Readonly<Record<string, unknown>>, viewer: Viewer) => Record<string, unknown>;

/** Copies just the given paths (`force.name` keeps `{ force: { name } }`); missing ones are skipped. */
export function pickPaths(
  data: Readonly<Record<string, unknown>>,
  paths: readonly string[],
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const path of paths) {
    const segments = path.split('.');
    let from: unknown = data;
    for (const segment of segments)
      from = isRecord(from) && Object.hasOwn(from, segment) ? from[segment] : undefined;
    if (from === undefined) continue;
    let into = result;
    for (const segment of segments.slice(0, -1)) {
      const next = into[segment];
      into = isRecord(next) ? next : (into[segment] = {});
    }
    into[segments.at(-1)!] = structuredClone(from);
  }
  return result;
}

/** A contract's audience cut as a redaction: each agency gets the paths listed for it, the rest nothing. */
export function allowFields(allowList: FieldAllowList): Redaction {
  // Stryker disable next-line ArrayDeclaration: any made-up path names no field of the data either, so it is equivalent
  return (data, viewer) => pickPaths(data, allowList[viewer.agency] ?? []);
}
