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
});
