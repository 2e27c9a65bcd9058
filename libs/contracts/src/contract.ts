import type { Agency } from '@jigsaw/envelope';
import type { EventType } from './event-type.js';

/** Dotted paths into `data` each agency may see; an agency not listed sees no data. */
export type FieldAllowList = Readonly<Partial<Record<Agency, readonly string[]>>>;

/**
 * What the child view reads of a record the agencies send: the fields of `data` that say when it happened,
 * best first (dotted paths; the view reads only those the viewer's cut kept, and falls back to the
 * chronology's time), and whether the agency raised a concern about the child.
 */
export interface ViewFacts {
  readonly at: readonly string[];
  readonly concern: boolean;
}

/** Everything the hub must know about one event type, beyond its agency's rules. */
export interface Contract<T extends EventType = EventType> {
  readonly type: T;
  /** Who writes it: one agency, the hub itself, or every agency (a control kind, as `<agency>.<kind>`). */
  readonly source: Agency | 'hub' | 'control';
  /** Its data's JSON Schema, from the repository root: the one source of its shape. */
  readonly schema: `schemas/${string}/v${number}.json`;
  /**
   * What each other agency's practitioner may see of `data` (the owner sees it all). Null: a non-owner
   * sees only that the record exists, never its data.
   */
  readonly audience: FieldAllowList | null;
  /**
   * The child's personal data beyond `subject` (always sealed whole): the free text the agency writes
   * about the child, as dotted paths within `data`. Sealed at ingest, erased with the child.
   */
  readonly personalData: readonly string[];
  /**
   * Free text that is not the child's personal data: practitioners and organisations (whom to call is the
   * point of sharing), agencies' own references, the hub's own account of what it did. Every free-text
   * field of the schema is in `personalData` or here (a test holds both to the schema).
   */
  readonly kept: readonly string[];
  /** What it means, in a practitioner's words, for the chronology; null shows the type itself. */
  readonly label: string | null;
  /** What the child view reads of it; null for records the view does not count (control, the hub's own). */
  readonly view: ViewFacts | null;
}
