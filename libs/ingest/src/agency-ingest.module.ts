import {
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AgencySystemGuard, TokenVerifier } from '@jigsaw/auth';
import type { ServiceConfig } from '@jigsaw/config';
import type { Pool } from '@jigsaw/database';
import { PersonalDataVault } from '@jigsaw/erasure';
import { OutboxRelay, PostgresEventStore } from '@jigsaw/event-store';
import { IdentityRegistry } from '@jigsaw/identity';
import { agencyTopic, KafkaMessaging } from '@jigsaw/messaging';
import { PG_POOL, SERVICE_CONFIG } from '@jigsaw/platform';
import { BatchIngest } from './batch.js';
import { controlEventTypes } from './control-events.js';
import { EventsController } from './events.controller.js';
import type { AgencyCatalogue } from './event-type.js';
import { RecordEventHandler } from './record-event.command.js';
import { AGENCY_CATALOGUE } from './tokens.js';

@Injectable()
class RelayLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('outbox-relay');

  constructor(private readonly relay: OutboxRelay) {}

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }

  static create(pool: Pool, messaging: KafkaMessaging, logger: Logger): OutboxRelay {
    return new OutboxRelay(pool, messaging.publisher(), {
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
          provide: PostgresEventStore,
          inject: [PG_POOL, SERVICE_CONFIG, OutboxRelay],
          useFactory: (pool: Pool, config: ServiceConfig, relay: OutboxRelay) =>
            new PostgresEventStore(pool, {
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
          inject: [PG_POOL, KafkaMessaging],
          useFactory: (pool: Pool, messaging: KafkaMessaging) =>
            RelayLifecycle.create(pool, messaging, new Logger('outbox-relay')),
        },
        RelayLifecycle,
        // Global: every agency route, including adapters added later, needs an agency system token.
        TokenVerifier,
        { provide: APP_GUARD, useClass: AgencySystemGuard },
        RecordEventHandler,
        BatchIngest,
      ],
      exports: [
        PostgresEventStore,
        IdentityRegistry,
        PersonalDataVault,
        OutboxRelay,
        BatchIngest,
        CqrsModule,
      ],
    };
  }
}
