import type { RecordedEvent } from '@jigsaw/envelope';
import type { DataOf, StoredType, TypedEvent } from './event-data.js';
import { STORED_CONTRACTS } from './registry.js';

/** A stored event of one of these types, its `data` its type's: a union of them narrows again by `type`. */
export type EventOf<T extends StoredType> = Extract<TypedEvent, { type: T }>;

const isObject = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Whether a recorded event is of one of these types, narrowing its `data` to theirs. It checks the type
 * and that `data` is an object, and trusts the rest: every stored agency event was validated against its
 * type's schema at ingest (sealed or erased personal data keeps the shape: strings become markers), and the
 * hub writes its own events through typed constructors, so the narrowing holds for events read from the
 * store, the read models and the topics. It is no validation: never use it on input that did not come
 * through ingest.
 */
export function isTyped<T extends StoredType>(
  event: RecordedEvent,
  ...types: readonly T[]
): event is EventOf<T> {
  return (types as readonly string[]).includes(event.type) && isObject(event.data);
}

/**
 * The event as the union of typed events, for a `switch (event.type)` or an `in` test on `data`; undefined
 * when its type is not one the hub stores or its `data` is no object. Trusts the data as `isTyped` does.
 */
export function asTyped(event: RecordedEvent): TypedEvent | undefined {
  return STORED_CONTRACTS.has(event.type) && isObject(event.data) ? (event as TypedEvent) : undefined;
}

/**
 * The id of the earlier record a control event (a withdrawal, retraction, correction...) is about, from its
 * own source; undefined for any other event.
 */
export function targetOf(event: RecordedEvent): string | undefined {
  const data = asTyped(event)?.data;
  return data && 'targetEventId' in data && typeof data.targetEventId === 'string'
    ? data.targetEventId
    : undefined;
}

/**
 * A record's data as a reader holds it once corrections are applied or a viewer's cut is taken: the
 * schema's top-level fields by name, any of them missing, each of unknown value. A correction replaces
 * whole top-level fields with whatever it carries (record-corrected checks no more than that `corrections`
 * is an object), and a cut keeps only the dotted paths the viewer may see, so neither the types nor the
 * presence of the schema's fields hold any more: read each value with a check.
 */
export type Loose<D> = { readonly [K in keyof D]?: unknown };

/** The loose data of a stored type. */
export type LooseData<T extends StoredType> = Loose<DataOf<T>>;

/** A loose field's value as loose data of the object the schema puts there; undefined when it is no object. */
export function looseObject<D>(value: unknown): Loose<NonNullable<D>> | undefined {
  return isObject(value) ? value : undefined;
}

/** The data of a record with corrections (top-level fields, later ones winning) applied over it. */
export function corrected<E extends TypedEvent>(
  event: E,
  corrections: Readonly<Record<string, unknown>>,
): LooseData<E['type']> {
  return { ...event.data, ...corrections };
}
