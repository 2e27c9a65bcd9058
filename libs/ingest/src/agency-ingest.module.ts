import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AgencySystemGuard, TokenVerifier } from '@jigsaw/auth';
import type { ServiceConfig } from '@jigsaw/config';
import type { Pool } from '@jigsaw/database';
import { PersonalDataVault } from '@jigsaw/erasure';
import { OutboxRelay } from '@jigsaw/event-store';
import { IdentityRegistry } from '@jigsaw/identity';
import { agencyTopic } from '@jigsaw/messaging';
import { EVENT_STORE, PG_POOL, publishingProviders, SERVICE_CONFIG } from '@jigsaw/platform';
import { BatchIngest } from './batch.js';
import { controlEventTypes } from './control-events.js';
import { EventsController } from './events.controller.js';
import type { AgencyCatalogue } from './event-type.js';
import { RecordBatchHandler } from './record-batch.command.js';
import { RecordEventHandler, RecordTransactionHandler } from './record-event.command.js';
import { AGENCY_CATALOGUE } from './tokens.js';

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
        // This agency's topic and streams only: each agency's replicas elect their own publisher.
        ...publishingProviders({
          owner: catalogue.agency,
          topic: (config) => agencyTopic(config.KAFKA_TOPIC_PREFIX, catalogue.agency),
          streamPrefixes: [`${catalogue.agency}-`],
          store: EVENT_STORE,
        }),
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
