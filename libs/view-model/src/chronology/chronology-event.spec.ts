import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { dataschemaFor } from '@jigsaw/envelope';
import { aRecordedEvent } from '@jigsaw/testing';
import { chronologyEvents, columnsOf } from './chronology-event.arbitrary.js';
import { compactEvent, fullEvent } from './chronology-event.js';

describe('the chronology event, stored compact', () => {
  it('reads back as the event it was given: full, then compact, then full is the same event', () => {
    fc.assert(
      fc.property(chronologyEvents(fc), (event) => {
        expect(fullEvent({ ...columnsOf(event), event: compactEvent(event) })).toStrictEqual(event);
      }),
      { numRuns: 500 },
    );
  });

  it('reads an event stored whole, as rows were written before, as that same event', () => {
    fc.assert(
      fc.property(chronologyEvents(fc), (event) => {
        expect(fullEvent({ ...columnsOf(event), event: { ...event } })).toStrictEqual(event);
      }),
    );
  });

  it('keeps nothing the columns or a constant give back, and all else', () => {
    const event = aRecordedEvent();
    const { specversion, id, source, type, dataschema, childid, recordedtime, ...rest } = event;
    expect([specversion, dataschema]).toEqual(['1.0', dataschemaFor(type, 1)]);
    expect([id, source, childid, recordedtime].every((v) => typeof v === 'string')).toBe(true);
    expect(compactEvent(event)).toStrictEqual(rest);
  });

  it('keeps what would not come back the same: a later dataschema, a time or child id written otherwise', () => {
    const event = {
      ...aRecordedEvent(),
      dataschema: dataschemaFor('police.domestic-abuse-incident-notified', 2),
      recordedtime: '2026-12-01T10:00:00+00:00',
    };
    event.childid = event.childid.toUpperCase();
    expect(compactEvent(event)).toMatchObject({
      dataschema: event.dataschema,
      recordedtime: event.recordedtime,
      childid: event.childid,
    });
  });
});
