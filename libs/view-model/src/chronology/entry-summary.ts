import { STORED_CONTRACTS } from '@jigsaw/contracts';

/** What each stored type means, in a practitioner's words (its contract's label); unknown types show as themselves. */
export const TYPE_LABELS: Readonly<Record<string, string>> = Object.fromEntries(
  [...STORED_CONTRACTS].flatMap(([type, { label }]) => (label === null ? [] : [[type, label]])),
);

/** Fields whose text says most about a record, best first; only those the viewer's cut kept are read. */
const DETAIL_FIELDS = ['summary', 'decision', 'outcome', 'category', 'kind', 'setting', 'reason'] as const;

/**
 * One line saying what the entry is, made from the viewer's own cut of the data (never the stored
 * event), so it can say no more than the entry itself does.
 */
export function summaryOf(type: string, cutData: Readonly<Record<string, unknown>> | undefined): string {
  const label = TYPE_LABELS[type] ?? type;
  if (!cutData) return label;
  for (const field of DETAIL_FIELDS) {
    const value = cutData[field];
    if (typeof value === 'string' && value.trim().length > 0) return `${label}: ${value.trim()}`;
  }
  return label;
}
