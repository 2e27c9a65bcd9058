import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { ServiceConfig } from '@jigsaw/config';
import { createPool, ensureDatabase, runMigrations, type MigrationSet, type Pool } from '@jigsaw/database';
import { SchemaRegistry } from '@jigsaw/envelope';
import { HealthController, Readiness, READINESS_CHECKS, type ReadinessCheck } from '@jigsaw/http';
import { KafkaMessaging } from '@jigsaw/messaging';
import { PG_POOL, SERVICE_CONFIG } from './tokens.js';

export interface PlatformOptions {
  name: string;
  config: ServiceConfig;
  migrations: readonly MigrationSet[];
  /** Topics this service publishes or consumes; created at start (brokers never auto-create). */
  topics: readonly string[];
}

@Injectable()
class PoolCloser implements OnApplicationShutdown {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}

/** What every Jigsaw service stands on: validated config, PostgreSQL with its migrations, Kafka, health. */
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      global: true,
      controllers: [HealthController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: options.config },
        {
          provide: PG_POOL,
          useFactory: async (): Promise<Pool> => {
            await ensureDatabase(options.config.DATABASE_URL);
            const pool = createPool(options.config.DATABASE_URL, {
              name: options.name,
              max: options.config.DATABASE_POOL_MAX,
            });
            await runMigrations(pool, options.migrations);
            return pool;
          },
        },
        {
          provide: KafkaMessaging,
          useFactory: async (): Promise<KafkaMessaging> => {
            const messaging = new KafkaMessaging({
              brokers: options.config.KAFKA_BROKERS,
              clientId: options.name,
            });
            await messaging.ensureTopics(options.topics);
            return messaging;
          },
        },
        { provide: SchemaRegistry, useFactory: () => new SchemaRegistry() },
        {
          provide: READINESS_CHECKS,
          inject: [PG_POOL, KafkaMessaging],
          useFactory: (pool: Pool, messaging: KafkaMessaging): ReadinessCheck[] => [
            { name: 'database', check: async () => (await pool.query('SELECT 1')).rowCount === 1 },
            { name: 'kafka', check: () => messaging.ping() },
          ],
        },
        Readiness,
        PoolCloser,
      ],
      exports: [SERVICE_CONFIG, PG_POOL, KafkaMessaging, SchemaRegistry, READINESS_CHECKS],
    };
  }
}
