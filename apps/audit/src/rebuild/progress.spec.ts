import { describe, expect, it } from '@jest/globals';
import { progressTo, renderBar, renderLine, type Progress } from './progress.js';

const at = (events: number, elapsedMs = 2000): Progress => ({
  events,
  total: 20_000,
  perSecond: 5000,
  elapsedMs,
});

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns: 120, write: (chunk: string) => chunks.push(chunk) } };
}

describe('progress', () => {
  it('draws a bar with the share done, the count, the rate and the time left', () => {
    expect(renderBar('rebuild', at(10_000), 10)).toBe(
      'rebuild [#####.....]  50% 10,000/20,000 events, 5,000 events/s, 2s, 2s left',
    );
    expect(renderLine('rebuild', at(20_000))).toBe('rebuild: 100% 20,000/20,000 events, 5,000 events/s, 2s');
  });

  it('redraws in place on a terminal, and ends the line when done', () => {
    let now = 0;
    const { chunks, stream } = fakeStream(true);
    const sink = progressTo(stream, 'rebuild', { now: () => now });
    sink.update(at(5000));
    now = 50;
    sink.update(at(6000)); // within the redraw interval: skipped
    now = 200;
    sink.update(at(7000));
    sink.done();
    expect(chunks.filter((c) => c.startsWith('\r\x1b[2K'))).toHaveLength(2);
    expect(chunks.at(-1)).toBe('\n');
  });

  it('writes plain lines now and then elsewhere, and always the last one', () => {
    let now = 0;
    const { chunks, stream } = fakeStream(false);
    const sink = progressTo(stream, 'rebuild', { now: () => now, intervalMs: 2000 });
    for (let i = 1; i <= 10; i++) {
      now = i * 500;
      sink.update(at(i * 2000, now));
    }
    sink.done();
    expect(chunks.every((c) => !c.includes('\r') && c.endsWith('\n'))).toBe(true);
    expect(chunks.length).toBeLessThan(5);
    expect(chunks.at(-1)).toContain('20,000/20,000');
  });
});
