import type fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import { dataschemaFor, type RecordedEvent } from '@jigsaw/envelope';
import { childErased, erasePersonalData, type ProtectedEvent } from '@jigsaw/erasure';
import { eventKeyOf } from '@jigsaw/projection';
import { sharingArbitraries } from '@jigsaw/sharing';
import { recordAccessed } from '../access/record-accessed.event.js';
import type { ChronologyColumns } from './chronology-event.js';

type Fc = typeof fc;

/**
 * Events as the chronology may be given them (records, control events, erased records, the hub's own
 * events), each under a fresh id and child, some with the attributes a compact form must keep: a sender's
 * reference and content type, a later dataschema, a recorded time or hub child id not written canonically.
 */
export function chronologyEvents(fc: Fc): Arbitrary<ProtectedEvent> {
  const a = sharingArbitraries(fc);
  const hub: Arbitrary<RecordedEvent> = fc.oneof(
    fc
      .record({ generations: fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 3 }), at: fc.date() })
      .map(({ generations, at }) =>
        childErased(
          a.childIds[0]!,
          generations,
          { userId: 'dpo-1', role: 'data-protection-officer', organisation: 'urn:jigsaw:org:council:leeds' },
          'subject request',
          new Date(Math.abs(at.getTime()) % 4e12),
        ),
      ),
    fc
      .record({ viewer: a.viewer, id: fc.uuid() })
      .map(({ viewer, id }) =>
        recordAccessed({ id, now: a.now, viewer, view: 'chronology', childId: a.childIds[1]! }, []),
      ),
  );
  const base: Arbitrary<ProtectedEvent> = fc.oneof(
    { arbitrary: a.recordedEvent(), weight: 3 },
    { arbitrary: a.controlEvent, weight: 2 },
    { arbitrary: a.recordedEvent().map((e) => erasePersonalData(e)), weight: 2 },
    { arbitrary: hub, weight: 1 },
  );
  const variant = fc.record(
    {
      reference: fc.constantFrom('REF-1', 'sender/ref 2'),
      datacontenttype: fc.constant('application/json' as const),
      laterSchema: fc.constant(true),
      recordedtime: fc.constantFrom('+00:00', 'no-ms', 'micro'),
      upperChildId: fc.constant(true),
    },
    { requiredKeys: [] },
  );
  return fc
    .record({ event: base, id: fc.uuid(), childid: fc.uuid(), variant })
    .map(({ event, id, childid, variant: v }): ProtectedEvent => {
      const out: ProtectedEvent = { ...event, id: `${event.id}-${id}`, childid };
      if (v.reference) out.reference = v.reference;
      if (v.datacontenttype) out.datacontenttype = v.datacontenttype;
      if (v.laterSchema) out.dataschema = dataschemaFor(out.type, 2);
      if (v.upperChildId) out.childid = childid.toUpperCase();
      if (v.recordedtime === '+00:00') out.recordedtime = out.recordedtime.replace('Z', '+00:00');
      if (v.recordedtime === 'no-ms') out.recordedtime = out.recordedtime.replace(/\.\d{3}Z$/, 'Z');
      if (v.recordedtime === 'micro') out.recordedtime = out.recordedtime.replace(/Z$/, '123Z');
      return out;
    });
}

/** The columns the projection writes from an event, as PostgreSQL gives them back. */
export function columnsOf(event: RecordedEvent): ChronologyColumns {
  return {
    event_key: eventKeyOf(event),
    source: event.source,
    type: event.type,
    child_id: event.childid.toLowerCase(),
    recorded_at: new Date(event.recordedtime),
  };
}
