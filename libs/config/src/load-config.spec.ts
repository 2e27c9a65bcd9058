import { describe, expect, it } from '@jest/globals';
import { loadConfig } from './load-config.js';
import { DEFAULT_DATABASE_URL, ServiceConfig } from './service-config.js';

class PoliceConfig extends ServiceConfig {
  override PORT = 3002;
}

describe('loadConfig', () => {
  it('takes defaults when nothing is set', () => {
    const config = loadConfig(PoliceConfig, { JIGSAW_DEVELOPMENT: 'true' });
    expect(config.PORT).toBe(3002);
    expect(config.DATABASE_URL).toBe(DEFAULT_DATABASE_URL);
  });

  it('reads and converts what is set', () => {
    const config = loadConfig(PoliceConfig, {
      JIGSAW_DEVELOPMENT: 'true',
      PORT: '4002',
      KAFKA_BROKERS: 'k1:9092,k2:9092',
    });
    expect(config.PORT).toBe(4002);
    expect(config.KAFKA_BROKERS).toBe('k1:9092,k2:9092');
  });

  it('takes the Kafka topic settings a cluster needs, and refuses ones no cluster could honour', () => {
    const dev = { JIGSAW_DEVELOPMENT: 'true' };
    expect(loadConfig(PoliceConfig, dev)).toMatchObject({
      KAFKA_REPLICATION_FACTOR: 1,
      KAFKA_MIN_INSYNC_REPLICAS: 1,
      KAFKA_PARTITIONS: 6,
      KAFKA_RETENTION_MS: -1,
    });
    expect(loadConfig(PoliceConfig, { ...dev, KAFKA_RETENTION_MS: '3600000' }).KAFKA_RETENTION_MS).toBe(
      3_600_000,
    );
    for (const forgetful of ['0', '3599999', '-2', 'a week']) {
      expect(() => loadConfig(PoliceConfig, { ...dev, KAFKA_RETENTION_MS: forgetful })).toThrow(
        /KAFKA_RETENTION_MS: /,
      );
    }
    const cluster = {
      ...dev,
      KAFKA_REPLICATION_FACTOR: '3',
      KAFKA_MIN_INSYNC_REPLICAS: '2',
      KAFKA_PARTITIONS: '12',
    };
    expect(loadConfig(PoliceConfig, cluster)).toMatchObject({
      KAFKA_REPLICATION_FACTOR: 3,
      KAFKA_MIN_INSYNC_REPLICAS: 2,
      KAFKA_PARTITIONS: 12,
    });
    expect(() => loadConfig(PoliceConfig, { ...cluster, KAFKA_MIN_INSYNC_REPLICAS: '4' })).toThrow(
      /KAFKA_MIN_INSYNC_REPLICAS: .*must not exceed KAFKA_REPLICATION_FACTOR/,
    );
    expect(() => loadConfig(PoliceConfig, { ...dev, KAFKA_REPLICATION_FACTOR: '0' })).toThrow(
      /KAFKA_REPLICATION_FACTOR: .*at least 1/,
    );
    expect(() => loadConfig(PoliceConfig, { ...dev, KAFKA_PARTITIONS: 'six' })).toThrow(
      /KAFKA_PARTITIONS: .*whole number/,
    );
    expect(() => loadConfig(PoliceConfig, { ...dev, KAFKA_PARTITIONS: '0' })).toThrow(
      /KAFKA_PARTITIONS: .*at least 1/,
    );
  });

  it('stores events in PostgreSQL unless told to use KurrentDB, which then needs its URL', () => {
    expect(loadConfig(PoliceConfig, { JIGSAW_DEVELOPMENT: 'true' }).EVENT_STORE).toBe('postgres');
    const kurrent = loadConfig(PoliceConfig, {
      JIGSAW_DEVELOPMENT: 'true',
      EVENT_STORE: 'kurrentdb',
      KURRENTDB_URL: 'kurrentdb://127.0.0.1:2113?tls=false',
    });
    expect(kurrent.EVENT_STORE).toBe('kurrentdb');
    expect(kurrent.KURRENTDB_URL).toBe('kurrentdb://127.0.0.1:2113?tls=false');
    expect(() => loadConfig(PoliceConfig, { JIGSAW_DEVELOPMENT: 'true', EVENT_STORE: 'kurrentdb' })).toThrow(
      /KURRENTDB_URL: .*KURRENTDB_URL is needed when EVENT_STORE is kurrentdb/,
    );
    expect(() =>
      loadConfig(PoliceConfig, {
        JIGSAW_DEVELOPMENT: 'true',
        EVENT_STORE: 'kurrentdb',
        KURRENTDB_URL: 'http://x:2113',
      }),
    ).toThrow(/KURRENTDB_URL must be a kurrentdb:\/\/ connection string/);
    expect(() => loadConfig(PoliceConfig, { JIGSAW_DEVELOPMENT: 'true', EVENT_STORE: 'mongodb' })).toThrow(
      /EVENT_STORE: EVENT_STORE must be postgres or kurrentdb/,
    );
  });

  it('applies the migrations at start unless told only to check that they are applied', () => {
    expect(loadConfig(PoliceConfig, { JIGSAW_DEVELOPMENT: 'true' }).DATABASE_MIGRATIONS).toBe('apply');
    expect(
      loadConfig(PoliceConfig, { JIGSAW_DEVELOPMENT: 'true', DATABASE_MIGRATIONS: 'check' })
        .DATABASE_MIGRATIONS,
    ).toBe('check');
    expect(() =>
      loadConfig(PoliceConfig, { JIGSAW_DEVELOPMENT: 'true', DATABASE_MIGRATIONS: 'off' }),
    ).toThrow(/DATABASE_MIGRATIONS: DATABASE_MIGRATIONS must be apply or check/);
  });

  it('fails naming every bad variable', () => {
    expect(() =>
      loadConfig(PoliceConfig, { JIGSAW_DEVELOPMENT: 'true', PORT: 'eighty', DATABASE_URL: 'mysql://x' }),
    ).toThrow(/PORT:.*\n.*DATABASE_URL: DATABASE_URL must be a postgres:\/\/ URL/s);
  });

  it('takes a 32-byte base64 master key and refuses anything else, naming the variable', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(
      loadConfig(PoliceConfig, { JIGSAW_DEVELOPMENT: 'true', ENCRYPTION_MASTER_KEY: key })
        .ENCRYPTION_MASTER_KEY,
    ).toBe(key);
    expect(
      Buffer.from(loadConfig(PoliceConfig, { JIGSAW_DEVELOPMENT: 'true' }).ENCRYPTION_MASTER_KEY, 'base64'),
    ).toHaveLength(32);
    expect(() =>
      loadConfig(PoliceConfig, {
        JIGSAW_DEVELOPMENT: 'true',
        ENCRYPTION_MASTER_KEY: Buffer.alloc(16).toString('base64'),
      }),
    ).toThrow(/ENCRYPTION_MASTER_KEY: ENCRYPTION_MASTER_KEY must be 32 bytes in base64/);
  });

  describe('outside development mode', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const real = {
      IDENTIFIER_HMAC_SECRET: 'a-real-identifier-secret',
      ENCRYPTION_MASTER_KEY: key,
      OIDC_ISSUERS: '[]',
    };

    it('starts with real secrets and issuers', () => {
      expect(loadConfig(PoliceConfig, real).JIGSAW_DEVELOPMENT).toBe(false);
    });

    it.each(['IDENTIFIER_HMAC_SECRET', 'ENCRYPTION_MASTER_KEY'])(
      'refuses the published development %s',
      (name) => {
        const env: Record<string, string> = { ...real };
        delete env[name];
        expect(() => loadConfig(PoliceConfig, env)).toThrow(
          new RegExp(`${name}: ${name} is the development value published with the code`),
        );
        expect(loadConfig(PoliceConfig, { ...env, JIGSAW_DEVELOPMENT: 'true' })).toBeDefined();
      },
    );

    it('refuses JWT_SECRET, which signs development tokens only', () => {
      expect(() =>
        loadConfig(PoliceConfig, { ...real, JWT_SECRET: 'jigsaw-development-only-jwt-secret-change-me' }),
      ).toThrow(/JWT_SECRET: .*only development mode accepts/);
      expect(() => loadConfig(PoliceConfig, { ...real, JWT_SECRET: 'x'.repeat(40) })).toThrow(/JWT_SECRET/);
    });

    it('needs OIDC_ISSUERS, or nobody could sign in', () => {
      const { OIDC_ISSUERS: _issuers, ...rest } = real;
      expect(() => loadConfig(PoliceConfig, rest)).toThrow(
        /OIDC_ISSUERS: OIDC_ISSUERS is needed outside development mode/,
      );
    });

    it('reads JIGSAW_DEVELOPMENT as true or false only', () => {
      expect(loadConfig(PoliceConfig, { JIGSAW_DEVELOPMENT: 'true' }).JIGSAW_DEVELOPMENT).toBe(true);
      expect(() => loadConfig(PoliceConfig, { ...real, JIGSAW_DEVELOPMENT: 'yes' })).toThrow(
        /JIGSAW_DEVELOPMENT must be true or false/,
      );
    });
  });
});
