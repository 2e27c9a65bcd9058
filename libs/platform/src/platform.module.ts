import {
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { KurrentDBClient } from '@kurrent/kurrentdb-client';
import type { ServiceConfig } from '@jigsaw/config';
import type { MigrationSet, OwnerRole, Pool } from '@jigsaw/database';
import { SchemaRegistry } from '@jigsaw/envelope';
import { connectKurrentDb, kurrentDbAnswers } from '@jigsaw/event-store';
import { HealthController, Readiness, READINESS_CHECKS, type ReadinessCheck } from '@jigsaw/http';
import { KafkaMessaging, type TopicSettings } from '@jigsaw/messaging';
import { openServiceDatabase } from './service-database.js';
import { KURRENTDB_CLIENT, PG_POOL, SERVICE_CONFIG } from './tokens.js';

export interface PlatformOptions {
  name: string;
  /** The owner this service is: every connection of its pool acts as this role (`ownership.ts`). */
  role: OwnerRole;
  config: ServiceConfig;
  /** Applied at start, or checked with `DATABASE_MIGRATIONS=check`; applied alone with `--migrate-only`. */
  migrations: readonly MigrationSet[];
  /** Topics this service publishes or consumes; created at start (brokers never auto-create). */
  topics: readonly string[];
}

const SETTING_VARIABLES: Record<keyof TopicSettings, string> = {
  partitions: 'KAFKA_PARTITIONS',
  replicationFactor: 'KAFKA_REPLICATION_FACTOR',
  minInsyncReplicas: 'KAFKA_MIN_INSYNC_REPLICAS',
  retentionMs: 'KAFKA_RETENTION_MS',
};

const POOL_END_TIMEOUT_MS = 1_000;

@Injectable()
class PoolCloser implements OnApplicationShutdown {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(KURRENTDB_CLIENT) private readonly kurrentdb: KurrentDBClient | null,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    // end() waits for every client to come back; one held by work cut off at shutdown never does.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.pool.end(),
      new Promise((resolve) => (timer = setTimeout(resolve, POOL_END_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    await this.kurrentdb?.dispose();
  }
}

/** Each module `forRoot` made, with the options it was made of: for `platformOptionsIn`. */
const MADE = new WeakMap<DynamicModule, PlatformOptions>();

/** What every Jigsaw service stands on: validated config, PostgreSQL with its migrations, Kafka, health. */
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const module: DynamicModule = {
      module: PlatformModule,
      global: true,
      controllers: [HealthController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: options.config },
        {
          provide: PG_POOL,
          useFactory: (): Promise<Pool> => openServiceDatabase(options),
        },
        {
          provide: KafkaMessaging,
          useFactory: async (): Promise<KafkaMessaging> => {
            const { config } = options;
            const messaging = new KafkaMessaging({ brokers: config.KAFKA_BROKERS, clientId: options.name });
            const differences = await messaging.ensureTopics(options.topics, {
              partitions: config.KAFKA_PARTITIONS,
              replicationFactor: config.KAFKA_REPLICATION_FACTOR,
              minInsyncReplicas: config.KAFKA_MIN_INSYNC_REPLICAS,
              retentionMs: config.KAFKA_RETENTION_MS,
            });
            // Existing topics are never altered at start: repartitioning moves children between partitions.
            for (const d of differences) {
              new Logger('kafka').warn(
                `topic ${d.topic} has ${d.setting} ${d.actual} but the configuration says ${d.expected} ` +
                  `(${SETTING_VARIABLES[d.setting]}); it is used as it is`,
              );
            }
            return messaging;
          },
        },
        {
          provide: KURRENTDB_CLIENT,
          useFactory: (): KurrentDBClient | null =>
            options.config.EVENT_STORE === 'kurrentdb'
              ? connectKurrentDb(options.config.KURRENTDB_URL!)
              : null,
        },
        { provide: SchemaRegistry, useFactory: () => new SchemaRegistry() },
        {
          provide: READINESS_CHECKS,
          inject: [PG_POOL, KafkaMessaging, KURRENTDB_CLIENT],
          useFactory: (
            pool: Pool,
            messaging: KafkaMessaging,
            kurrentdb: KurrentDBClient | null,
          ): ReadinessCheck[] => [
            { name: 'database', check: async () => (await pool.query('SELECT 1')).rowCount === 1 },
            { name: 'kafka', check: () => messaging.ping() },
            ...(kurrentdb ? [{ name: 'kurrentdb', check: () => kurrentDbAnswers(kurrentdb) }] : []),
          ],
        },
        Readiness,
        PoolCloser,
      ],
      exports: [
        SERVICE_CONFIG,
        PG_POOL,
        KURRENTDB_CLIENT,
        KafkaMessaging,
        SchemaRegistry,
        READINESS_CHECKS,
        Readiness,
      ],
    };
    MADE.set(module, options);
    return module;
  }
}

/**
 * The options of the `PlatformModule` a service's module imports, found among its imports without making
 * anything: what `--migrate-only` applies the service's migrations with.
 */
export function platformOptionsIn(module: DynamicModule): PlatformOptions {
  const seen = new Set<DynamicModule>();
  const queue = [module];
  for (let next = queue.shift(); next; next = queue.shift()) {
    const options = MADE.get(next);
    if (options) return options;
    seen.add(next);
    for (const imported of next.imports ?? []) {
      if (typeof imported === 'object' && 'module' in imported && !seen.has(imported)) queue.push(imported);
    }
  }
  throw new Error('the module imports no PlatformModule.forRoot(...): it has no migrations to apply');
}
