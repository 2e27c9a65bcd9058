import { describe, expect, it } from '@jest/globals';
import { kurrentDbSkipReason, plan } from './backing-services.mjs';

describe('where the tests get Kafka, PostgreSQL and KurrentDB', () => {
  const all = {
    KAFKA_BROKERS: '127.0.0.1:9092',
    TEST_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/jigsaw_test',
    KURRENTDB_URL: 'kurrentdb://127.0.0.1:2113?tls=false',
  };

  it('prefers what is configured, Docker or not', () => {
    for (const docker of [true, false]) {
      expect(plan(all, docker)).toEqual({
        kafka: 'configured',
        postgres: 'configured',
        kurrentdb: 'configured',
      });
    }
    expect(plan({ DATABASE_URL: 'postgres://db/jigsaw' }, true).postgres).toBe('configured');
  });

  it('starts containers for what is not configured when a Docker engine answers', () => {
    expect(plan({}, true)).toEqual({ kafka: 'docker', postgres: 'docker', kurrentdb: 'docker' });
    expect(plan({ KAFKA_BROKERS: all.KAFKA_BROKERS, KURRENTDB_URL: '' }, true)).toEqual({
      kafka: 'configured',
      postgres: 'docker',
      kurrentdb: 'docker',
    });
  });

  it('without Docker, starts Kafka and PostgreSQL locally as before and has no KurrentDB', () => {
    expect(plan({}, false)).toEqual({ kafka: 'local', postgres: 'local', kurrentdb: 'none' });
    expect(
      plan({ KAFKA_BROKERS: all.KAFKA_BROKERS, TEST_DATABASE_URL: all.TEST_DATABASE_URL }, false),
    ).toEqual({
      kafka: 'configured',
      postgres: 'configured',
      kurrentdb: 'none',
    });
  });

  it('says why the KurrentDB tests are skipped and where to read how to run them', () => {
    const reason = kurrentDbSkipReason('Could not find a working container runtime strategy');
    expect(reason).toContain('KURRENTDB_URL is not set');
    expect(reason).toContain('Could not find a working container runtime strategy');
    expect(reason).toContain('docs/operating.md "Running on KurrentDB"');
  });
});
