import { describe, expect, it } from '@jest/globals';
import { AlwaysOffSampler, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace';
import { tracingConfigFrom } from './tracing.js';

describe('tracingConfigFrom', () => {
  it('is off when nothing asks for it', () => {
    expect(tracingConfigFrom({}).exporters).toEqual([]);
    expect(tracingConfigFrom({ OTEL_SERVICE_NAME: 'police' }).exporters).toEqual([]);
  });

  it('exports over OTLP when an endpoint is set, or when OTEL_TRACES_EXPORTER says so', () => {
    expect(tracingConfigFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).exporters).toEqual([
      'otlp',
    ]);
    expect(
      tracingConfigFrom({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }).exporters,
    ).toEqual(['otlp']);
    expect(tracingConfigFrom({ OTEL_TRACES_EXPORTER: 'otlp' }).exporters).toEqual(['otlp']);
    expect(
      tracingConfigFrom({ OTEL_TRACES_EXPORTER: 'otlp, file', JIGSAW_TRACES_FILE: '/tmp/spans.jsonl' }),
    ).toMatchObject({ exporters: ['otlp', 'file'], file: '/tmp/spans.jsonl' });
  });

  it('stays off when disabled, whatever else is set', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(tracingConfigFrom({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' }).exporters).toEqual([]);
    expect(tracingConfigFrom({ ...endpoint, OTEL_SDK_DISABLED: 'true' }).exporters).toEqual([]);
  });

  it('fails naming the variable when it cannot do what is asked', () => {
    expect(() => tracingConfigFrom({ OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow(
      /OTEL_TRACES_EXPORTER: must be otlp, memory, file or none, not zipkin/,
    );
    expect(() => tracingConfigFrom({ OTEL_TRACES_EXPORTER: 'file' })).toThrow(
      /JIGSAW_TRACES_FILE: must name/,
    );
    expect(() =>
      tracingConfigFrom({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }),
    ).toThrow(/OTEL_EXPORTER_OTLP_PROTOCOL: only http\/json is supported, not grpc/);
    expect(() =>
      tracingConfigFrom({ OTEL_TRACES_EXPORTER: 'memory', OTEL_TRACES_SAMPLER: 'sometimes' }),
    ).toThrow(/OTEL_TRACES_SAMPLER: must be/);
    expect(() =>
      tracingConfigFrom({
        OTEL_TRACES_EXPORTER: 'memory',
        OTEL_TRACES_SAMPLER: 'traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '2',
      }),
    ).toThrow(/OTEL_TRACES_SAMPLER_ARG: must be a ratio between 0 and 1/);
    expect(() =>
      tracingConfigFrom({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_BSP_SCHEDULE_DELAY: 'soon' }),
    ).toThrow(/OTEL_BSP_SCHEDULE_DELAY: must be a non-negative number/);
  });

  it('reads the sampler and the batch processor settings', () => {
    const config = tracingConfigFrom({
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_BSP_SCHEDULE_DELAY: '500',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '128',
    });
    expect(config.sampler).toBeInstanceOf(ParentBasedSampler);
    expect(config.sampler.toString()).toContain('TraceIdRatioBased{0.25}');
    expect(config.batch).toEqual({ scheduledDelayMillis: 500, maxExportBatchSize: 128 });
    expect(
      tracingConfigFrom({ OTEL_TRACES_EXPORTER: 'memory', OTEL_TRACES_SAMPLER: 'traceidratio' }).sampler,
    ).toBeInstanceOf(TraceIdRatioBasedSampler);
    expect(tracingConfigFrom({}).sampler).toBeInstanceOf(AlwaysOffSampler);
  });
});
