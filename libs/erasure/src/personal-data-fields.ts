import { CONTRACTS, type Contract } from '@jigsaw/contracts';
import type { RecordedEvent } from '@jigsaw/envelope';

const byContract = (fields: (contract: Contract) => readonly string[]) =>
  Object.fromEntries(
    Object.values<Contract>(CONTRACTS)
      .filter((contract) => fields(contract).length > 0)
      .map((contract) => [contract.type, fields(contract)]),
  );

/**
 * The child's personal data in each event type, beyond `subject` (always sealed whole), from its contract:
 * the free text an agency writes about the child, as dotted paths within `data`. Everything else stays
 * readable as the audit skeleton: ids, types, times, dates, codes, the sharing decision, the agency and the
 * hub child id. Control kinds (shared by every agency as `<agency>.<kind>`) are listed by kind.
 */
export const PERSONAL_DATA_FIELDS: Readonly<Record<string, readonly string[]>> = byContract(
  (contract) => contract.personalData,
);

/** Free text that is not the child's personal data, from each contract (which says why). */
export const KEPT_FIELDS: Readonly<Record<string, readonly string[]>> = byContract(
  (contract) => contract.kept,
);

/** Top-level data fields that are personal in some type: what a correction of them carries is sealed too. */
const PERSONAL_TOP_LEVEL = new Set(
  Object.values(PERSONAL_DATA_FIELDS).flatMap((paths) => paths.map((path) => path.split('.')[0]!)),
);

function fieldsOfType(type: string): readonly string[] {
  const own = PERSONAL_DATA_FIELDS[type];
  if (own) return own;
  const dot = type.indexOf('.');
  return dot > 0 ? (PERSONAL_DATA_FIELDS[type.slice(dot + 1)] ?? []) : [];
}

function has(value: unknown, path: readonly string[]): boolean {
  let at = value;
  for (const key of path) {
    if (typeof at !== 'object' || at === null || Array.isArray(at) || !(key in at)) return false;
    at = (at as Record<string, unknown>)[key];
  }
  return at !== undefined;
}

/** The paths (from the envelope: `subject`, `data.summary`, ...) holding this event's personal data. */
export function personalPathsOf(event: Pick<RecordedEvent, 'type' | 'subject' | 'data'>): string[] {
  const paths = event.subject === undefined ? [] : ['subject'];
  for (const field of fieldsOfType(event.type)) {
    if (has(event.data, field.split('.'))) paths.push(`data.${field}`);
  }
  const corrections = (event.data as { corrections?: unknown } | undefined)?.corrections;
  if (event.type.endsWith('.record-corrected') && typeof corrections === 'object' && corrections !== null) {
    for (const key of Object.keys(corrections).sort()) {
      if (PERSONAL_TOP_LEVEL.has(key)) paths.push(`data.corrections.${key}`);
    }
  }
  return paths;
}
