import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '@jigsaw/envelope';
import { PUPIL_ON_ROLL } from './education/pupil-on-roll/contract.js';
import { MISSING_EPISODE_ENDED } from './police/missing-episode-ended/contract.js';
import { MISSING_EPISODE_STARTED } from './police/missing-episode-started/contract.js';
import { asTyped, corrected, isTyped, looseObject, targetOf } from './typed.js';

const event = (type: string, data: unknown): RecordedEvent =>
  ({ id: 'e-1', source: 'urn:jigsaw:org:police:met', type, data }) as RecordedEvent;

describe('reading stored events by type', () => {
  it('narrows an event of one of the types named, whose data is an object', () => {
    const started = event(MISSING_EPISODE_STARTED, { missingSince: '2026-01-02T03:04:05Z' });
    expect(isTyped(started, MISSING_EPISODE_STARTED)).toBe(true);
    expect(isTyped(started, MISSING_EPISODE_ENDED, MISSING_EPISODE_STARTED)).toBe(true);
    if (isTyped(started, MISSING_EPISODE_STARTED))
      expect(started.data.missingSince).toBe('2026-01-02T03:04:05Z');
  });

  it('refuses another type, and data that is no object', () => {
    expect(isTyped(event(MISSING_EPISODE_ENDED, {}), MISSING_EPISODE_STARTED)).toBe(false);
    for (const data of [null, undefined, 'text', ['a']]) {
      expect(isTyped(event(MISSING_EPISODE_STARTED, data), MISSING_EPISODE_STARTED)).toBe(false);
      expect(asTyped(event(MISSING_EPISODE_STARTED, data))).toBeUndefined();
    }
  });

  it('takes any type the hub stores, control kinds under each agency, and no other', () => {
    expect(asTyped(event(PUPIL_ON_ROLL, {}))?.type).toBe(PUPIL_ON_ROLL);
    expect(asTyped(event('police.record-retracted', {}))?.type).toBe('police.record-retracted');
    expect(asTyped(event('record-retracted', {}))).toBeUndefined();
    expect(asTyped(event('police.no-such-thing', {}))).toBeUndefined();
  });

  it('applies corrections over the top-level fields, later ones winning, without touching the event', () => {
    const roll = event(PUPIL_ON_ROLL, { onRollFrom: '2025-09-01', yearGroup: 7 });
    if (!isTyped(roll, PUPIL_ON_ROLL)) throw new Error('not typed');
    expect(corrected(roll, { onRollFrom: '2025-09-03', extra: true })).toEqual({
      onRollFrom: '2025-09-03',
      yearGroup: 7,
      extra: true,
    });
    expect(roll.data.onRollFrom).toBe('2025-09-01');
  });

  it('finds the record a control event is about, and none for other events', () => {
    expect(
      targetOf(event('police.record-retracted', { targetEventId: 'inc-1', reason: 'wrong child' })),
    ).toBe('inc-1');
    expect(targetOf(event('police.record-retracted', { reason: 'no target' }))).toBeUndefined();
    expect(targetOf(event('police.record-retracted', null))).toBeUndefined();
    expect(targetOf(event(MISSING_EPISODE_STARTED, { episodeReference: 'M-1' }))).toBeUndefined();
  });

  it('reads a loose field as an object only when it holds one', () => {
    expect(looseObject<{ name: string }>({ name: 'A' })?.name).toBe('A');
    for (const value of [null, undefined, 'A', 3, ['A']]) expect(looseObject(value)).toBeUndefined();
  });
});
