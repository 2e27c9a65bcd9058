import {
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import type { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { AgencySystemGuard, TokenVerifier } from '@jigsaw/auth';
import type { ServiceConfig } from '@jigsaw/config';
import type { Pool } from '@jigsaw/database';
import { PersonalDataVault } from '@jigsaw/erasure';
import { KurrentDbPublisher, OutboxRelay } from '@jigsaw/event-store';
import { IdentityRegistry } from '@jigsaw/identity';
import { agencyTopic, KafkaMessaging } from '@jigsaw/messaging';
import { createEventStore, EVENT_STORE, KURRENTDB_CLIENT, PG_POOL, SERVICE_CONFIG } from '@jigsaw/platform';
import { BatchIngest } from './batch.js';
import { controlEventTypes } from './control-events.js';
import { EventsController } from './events.controller.js';
import type { AgencyCatalogue } from './event-type.js';
import { RecordBatchHandler } from './record-batch.command.js';
import { RecordEventHandler, RecordTransactionHandler } from './record-event.command.js';
import { AGENCY_CATALOGUE } from './tokens.js';

@Injectable()
class RelayLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('outbox-relay');

  constructor(
    private readonly relay: OutboxRelay,
    // Set when the store is KurrentDB: it publishes instead of the outbox relay.
    @Inject(KurrentDbPublisher) private readonly kurrentdb: KurrentDbPublisher | null,
  ) {}

  onApplicationBootstrap(): void {
    (this.kurrentdb ?? this.relay).start();
  }

  async onApplicationShutdown(): Promise<void> {
    await (this.kurrentdb ?? this.relay).stop();
  }

  static create(pool: Pool, messaging: KafkaMessaging, logger: Logger, topic: string): OutboxRelay {
    // This agency's topic only: each agency's replicas elect their own relay.
    return new OutboxRelay(pool, messaging.publisher(), {
      topics: [topic],
      onError: (error) => logger.warn(`relay paused: ${(error as Error).message}`),
    });
  }
}

/** An agency service's ingest: POST /v1/events through validation, identity and the store. */
@Module({})
export class AgencyIngestModule {
  static register(catalogue: AgencyCatalogue): DynamicModule {
    return {
      module: AgencyIngestModule,
      imports: [CqrsModule.forRoot()],
      controllers: [EventsController],
      providers: [
        {
          provide: AGENCY_CATALOGUE,
          // Every agency may correct, retract and restrict its own records and record decisions not to share.
          useValue: { ...catalogue, types: [...catalogue.types, ...controlEventTypes(catalogue.agency)] },
        },
        {
          provide: EVENT_STORE,
          inject: [PG_POOL, SERVICE_CONFIG, OutboxRelay, KURRENTDB_CLIENT],
          useFactory: (
            pool: Pool,
            config: ServiceConfig,
            relay: OutboxRelay,
            kurrentdb: KurrentDBClient | null,
          ) =>
            createEventStore(config, pool, kurrentdb, {
              afterAppend: () => relay.wake(),
              route: (event) => ({
                topic: agencyTopic(config.KAFKA_TOPIC_PREFIX, catalogue.agency),
                key: event.childid,
              }),
            }),
        },
        {
          provide: PersonalDataVault,
          inject: [PG_POOL, SERVICE_CONFIG],
          useFactory: (pool: Pool, config: ServiceConfig) =>
            new PersonalDataVault(pool, { masterKey: config.ENCRYPTION_MASTER_KEY }),
        },
        {
          provide: IdentityRegistry,
          inject: [PG_POOL, SERVICE_CONFIG],
          useFactory: (pool: Pool, config: ServiceConfig) =>
            new IdentityRegistry(pool, config.IDENTIFIER_HMAC_SECRET),
        },
        {
          provide: OutboxRelay,
          inject: [PG_POOL, KafkaMessaging, SERVICE_CONFIG],
          useFactory: (pool: Pool, messaging: KafkaMessaging, config: ServiceConfig) =>
            RelayLifecycle.create(
              pool,
              messaging,
              new Logger('outbox-relay'),
              agencyTopic(config.KAFKA_TOPIC_PREFIX, catalogue.agency),
            ),
        },
        {
          provide: KurrentDbPublisher,
          inject: [PG_POOL, KafkaMessaging, KURRENTDB_CLIENT],
          useFactory: (pool: Pool, messaging: KafkaMessaging, kurrentdb: KurrentDBClient | null) => {
            if (!kurrentdb) return null;
            const logger = new Logger('kurrentdb-publisher');
            // This agency's streams only: agencies sharing one KurrentDB each publish their own.
            return new KurrentDbPublisher(kurrentdb, pool, messaging.publisher(), {
              name: catalogue.agency,
              streamPrefixes: [`${catalogue.agency}-`],
              onError: (error) => logger.warn(`publisher paused: ${(error as Error).message}`),
            });
          },
        },
        RelayLifecycle,
        // Global: every agency route, including adapters added later, needs an agency system token.
        TokenVerifier,
        { provide: APP_GUARD, useClass: AgencySystemGuard },
        RecordEventHandler,
        RecordTransactionHandler,
        RecordBatchHandler,
        BatchIngest,
      ],
      exports: [EVENT_STORE, IdentityRegistry, PersonalDataVault, OutboxRelay, BatchIngest, CqrsModule],
    };
  }
}
