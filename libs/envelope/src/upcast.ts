import { ENVELOPE_VERSION, fromCloudEvent, toCloudEvent, type JigsawCloudEvent } from './cloud-event.js';
import type { RecordedEvent } from './envelope.js';

type Stored = Record<string, unknown>;

/**
 * Envelope v1, stored until the CloudEvents binding: the child as an object `subject`, the sharing decision
 * and the sealed personal data as attributes beside `data`. Its v2 CloudEvent moves them into `data`.
 */
function upcastV1(event: Stored): Stored {
  return toCloudEvent(event as unknown as RecordedEvent) as unknown as Stored;
}

/** One upcaster per old envelope version, each to the next version. */
const UPCASTERS: Readonly<Record<number, (event: Stored) => Stored>> = { 1: upcastV1 };

/** v1 always carried `sharing` as an attribute; from v2 it is only ever inside `data`. */
export function envelopeVersionOf(event: Stored): number {
  return 'sharing' in event ? 1 : ENVELOPE_VERSION;
}

/** A stored or relayed event, in whichever envelope version it was written, as the current CloudEvent. */
export function upcast(stored: unknown): JigsawCloudEvent {
  let event = stored as Stored;
  for (let version = envelopeVersionOf(event); version < ENVELOPE_VERSION; version++) {
    const next = UPCASTERS[version];
    if (!next) throw new Error(`no upcaster from envelope v${version}`);
    event = next(event);
  }
  return event as unknown as JigsawCloudEvent;
}

/** A stored event, whatever its envelope version, as the hub works with it. */
export function readStoredEvent(stored: unknown): RecordedEvent {
  return fromCloudEvent(upcast(stored));
}
