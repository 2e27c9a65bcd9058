import { describe, expect, it } from '@jest/globals';
import { promtool } from '@jigsaw/testing';
import {
  counter,
  enableProcessMetrics,
  histogram,
  registerGauge,
  registerLabelledGauge,
  renderMetrics,
  type MetricLabel,
} from './metrics.js';

describe('metrics', () => {
  it('refuses a label that could carry an identifier', () => {
    expect(() =>
      counter({ name: 'jigsaw_test_reads_total', help: 'x', labelNames: ['childId' as MetricLabel] }),
    ).toThrow(/jigsaw_test_reads_total has label\(s\) childId; allowed: agency, type/);
  });

  it('returns the metric already registered under a name', () => {
    const first = histogram({ name: 'jigsaw_test_once_seconds', help: 'x', labelNames: ['agency'] });
    expect(histogram({ name: 'jigsaw_test_once_seconds', help: 'x', labelNames: ['agency'] })).toBe(first);
  });

  it('reads a gauge at scrape time, and the newest registration wins', async () => {
    let due = 3;
    registerGauge('jigsaw_test_due', 'Notifications due', () => due);
    expect((await renderMetrics()).body).toMatch(/^jigsaw_test_due 3$/m);
    due = 5;
    expect((await renderMetrics()).body).toMatch(/^jigsaw_test_due 5$/m);
    registerGauge('jigsaw_test_due', 'Notifications due', () => Promise.resolve(7));
    const { body, contentType } = await renderMetrics();
    expect(body).toMatch(/^jigsaw_test_due 7$/m);
    expect(body.match(/^# TYPE jigsaw_test_due gauge$/gm)).toHaveLength(1);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('reports a failing collect as NaN without failing the scrape', async () => {
    registerGauge('jigsaw_test_broken', 'x', () => Promise.reject(new Error('database down')));
    registerLabelledGauge('jigsaw_test_lag', 'x', ['topic'], () => [
      [{ topic: 'jigsaw.police.events' }, 4],
      [{ topic: 'jigsaw.health.events' }, 0],
    ]);
    const { body } = await renderMetrics();
    // prom-client writes "Nan"; Prometheus reads NaN in any case.
    expect(body).toMatch(/^jigsaw_test_broken nan$/im);
    expect(body).toMatch(/^jigsaw_test_lag\{topic="jigsaw.police.events"\} 4$/m);
    expect(body).toMatch(/^jigsaw_test_lag\{topic="jigsaw.health.events"\} 0$/m);
  });

  it('passes promtool, process metrics included: no gauge named like a counter', async () => {
    enableProcessMetrics();
    counter({ name: 'jigsaw_test_published_total', help: 'x', labelNames: ['topic'] }).inc({ topic: 't' });
    histogram({ name: 'jigsaw_test_delay_seconds', help: 'x', labelNames: ['topic'] }).observe(
      { topic: 't' },
      1,
    );
    const { body } = await renderMetrics();
    // The per-type gauges stay (a sample appears only while the process holds such a handle).
    expect(body).toMatch(/^# TYPE nodejs_active_handles gauge$/m);
    expect(body).not.toMatch(/^# TYPE \w+_total gauge$/m);
    const tool = promtool();
    if (tool) expect(tool.check(body)).toEqual({ status: 0, output: '' });
  });
});
