import { describe, expect, it } from '@jest/globals';
import { loadConfig } from './load-config.js';
import { DEFAULT_DATABASE_URL, ServiceConfig } from './service-config.js';

class PoliceConfig extends ServiceConfig {
  override PORT = 3002;
}

describe('loadConfig', () => {
  it('takes defaults when nothing is set', () => {
    const config = loadConfig(PoliceConfig, {});
    expect(config.PORT).toBe(3002);
    expect(config.DATABASE_URL).toBe(DEFAULT_DATABASE_URL);
  });

  it('reads and converts what is set', () => {
    const config = loadConfig(PoliceConfig, { PORT: '4002', KAFKA_BROKERS: 'k1:9092,k2:9092' });
    expect(config.PORT).toBe(4002);
    expect(config.KAFKA_BROKERS).toBe('k1:9092,k2:9092');
  });

  it('takes the Kafka topic settings a cluster needs, and refuses ones no cluster could honour', () => {
    expect(loadConfig(PoliceConfig, {})).toMatchObject({
      KAFKA_REPLICATION_FACTOR: 1,
      KAFKA_MIN_INSYNC_REPLICAS: 1,
      KAFKA_PARTITIONS: 6,
    });
    const cluster = { KAFKA_REPLICATION_FACTOR: '3', KAFKA_MIN_INSYNC_REPLICAS: '2', KAFKA_PARTITIONS: '12' };
    expect(loadConfig(PoliceConfig, cluster)).toMatchObject({
      KAFKA_REPLICATION_FACTOR: 3,
      KAFKA_MIN_INSYNC_REPLICAS: 2,
      KAFKA_PARTITIONS: 12,
    });
    expect(() => loadConfig(PoliceConfig, { ...cluster, KAFKA_MIN_INSYNC_REPLICAS: '4' })).toThrow(
      /KAFKA_MIN_INSYNC_REPLICAS: .*must not exceed KAFKA_REPLICATION_FACTOR/,
    );
    expect(() => loadConfig(PoliceConfig, { KAFKA_REPLICATION_FACTOR: '0' })).toThrow(
      /KAFKA_REPLICATION_FACTOR: .*at least 1/,
    );
    expect(() => loadConfig(PoliceConfig, { KAFKA_PARTITIONS: 'six' })).toThrow(
      /KAFKA_PARTITIONS: .*whole number/,
    );
    expect(() => loadConfig(PoliceConfig, { KAFKA_PARTITIONS: '0' })).toThrow(
      /KAFKA_PARTITIONS: .*at least 1/,
    );
  });

  it('stores events in PostgreSQL unless told to use KurrentDB, which then needs its URL', () => {
    expect(loadConfig(PoliceConfig, {}).EVENT_STORE).toBe('postgres');
    const kurrent = loadConfig(PoliceConfig, {
      EVENT_STORE: 'kurrentdb',
      KURRENTDB_URL: 'kurrentdb://127.0.0.1:2113?tls=false',
    });
    expect(kurrent.EVENT_STORE).toBe('kurrentdb');
    expect(kurrent.KURRENTDB_URL).toBe('kurrentdb://127.0.0.1:2113?tls=false');
    expect(() => loadConfig(PoliceConfig, { EVENT_STORE: 'kurrentdb' })).toThrow(
      /KURRENTDB_URL: .*KURRENTDB_URL is needed when EVENT_STORE is kurrentdb/,
    );
    expect(() =>
      loadConfig(PoliceConfig, { EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'http://x:2113' }),
    ).toThrow(/KURRENTDB_URL must be a kurrentdb:\/\/ connection string/);
    expect(() => loadConfig(PoliceConfig, { EVENT_STORE: 'mongodb' })).toThrow(
      /EVENT_STORE: EVENT_STORE must be postgres or kurrentdb/,
    );
  });

  it('fails naming every bad variable', () => {
    expect(() => loadConfig(PoliceConfig, { PORT: 'eighty', DATABASE_URL: 'mysql://x' })).toThrow(
      /PORT:.*\n.*DATABASE_URL: DATABASE_URL must be a postgres:\/\/ URL/s,
    );
  });

  it('takes a 32-byte base64 master key and refuses anything else, naming the variable', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig(PoliceConfig, { ENCRYPTION_MASTER_KEY: key }).ENCRYPTION_MASTER_KEY).toBe(key);
    expect(Buffer.from(loadConfig(PoliceConfig, {}).ENCRYPTION_MASTER_KEY, 'base64')).toHaveLength(32);
    expect(() =>
      loadConfig(PoliceConfig, { ENCRYPTION_MASTER_KEY: Buffer.alloc(16).toString('base64') }),
    ).toThrow(/ENCRYPTION_MASTER_KEY: ENCRYPTION_MASTER_KEY must be 32 bytes in base64/);
  });
});
