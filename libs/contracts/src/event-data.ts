import type { Agency, RecordedEvent } from '@jigsaw/envelope';
import type { EventDataByType } from './event-data.generated.js';
import type { ControlKind, EventType } from './event-type.js';

// The generated data types and the registry name the same types: one missing from either does not compile.
type Missing = Exclude<EventType, keyof EventDataByType>;
type Unknown = Exclude<keyof EventDataByType, EventType>;
const _sameTypes: [Missing, Unknown] extends [never, never] ? true : [Missing, Unknown] = true;

/** Every type a stored event may carry: each control kind under every agency (`police.record-restricted`). */
export type StoredType = Exclude<EventType, ControlKind> | `${Agency}.${ControlKind}`;

/** The `data` of a stored type, as its schema describes it. */
export type DataOf<T extends StoredType> = T extends `${Agency}.${infer K extends ControlKind}`
  ? EventDataByType[K]
  : EventDataByType[Extract<T, EventType>];

/**
 * A stored event whose `data` is its type's: one union, discriminated by `type`, so a `switch (event.type)`
 * narrows `data`. Ingest checked it against the schema; opened events (personal data unsealed) hold to it.
 */
export type TypedEvent = { [T in StoredType]: RecordedEvent<T, DataOf<T>> }[StoredType];
