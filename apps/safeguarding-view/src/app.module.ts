import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PractitionerGuard, TokenVerifier } from '@jigsaw/auth';
import { loadConfig, ServiceConfig } from '@jigsaw/config';
import type { Pool } from '@jigsaw/database';
import { EVENT_STORE_MIGRATIONS, PostgresEventStore } from '@jigsaw/event-store';
import { IDENTITY_MIGRATIONS, IdentityRegistry } from '@jigsaw/identity';
import { deadLetterTopic } from '@jigsaw/messaging';
import { PG_POOL, PlatformModule, SERVICE_CONFIG } from '@jigsaw/platform';
import { appliedEventsMigrations } from '@jigsaw/projection';
import { AccessLog } from './access/access-log.js';
import { ChildRefResolver } from './children/child-ref.js';
import { FindChildController } from './children/find-child.controller.js';
import { ChronologyController } from './chronology/chronology.controller.js';
import { ProjectionConsumer, viewTopics } from './projection.consumer.js';
import { ChildViewController } from './view/child-view.controller.js';
import { ChildViewService } from './view/child-view.service.js';
import { VIEW_SCHEMA, viewMigrations } from './view-schema.js';

export class SafeguardingViewConfig extends ServiceConfig {
  override PORT = 3000;
}

@Module({})
export class AppModule {
  static register(config: SafeguardingViewConfig = loadConfig(SafeguardingViewConfig)): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          name: 'safeguarding-view',
          config,
          migrations: [
            // The access log: every read is an event in the same store as the records read.
            EVENT_STORE_MIGRATIONS,
            IDENTITY_MIGRATIONS,
            appliedEventsMigrations(VIEW_SCHEMA),
            viewMigrations(VIEW_SCHEMA),
          ],
          topics: [...viewTopics(config.KAFKA_TOPIC_PREFIX), deadLetterTopic(config.KAFKA_TOPIC_PREFIX)],
        }),
      ],
      controllers: [ChronologyController, FindChildController, ChildViewController],
      providers: [
        {
          provide: IdentityRegistry,
          inject: [PG_POOL, SERVICE_CONFIG],
          useFactory: (pool: Pool, c: ServiceConfig) => new IdentityRegistry(pool, c.IDENTIFIER_HMAC_SECRET),
        },
        ChildRefResolver,
        {
          provide: PostgresEventStore,
          inject: [PG_POOL],
          // No outbox route: access events stay in the store for the audit service, off the agency topics.
          useFactory: (pool: Pool) => new PostgresEventStore(pool),
        },
        AccessLog,
        ChildViewService,
        // Global: every route but health needs a practitioner token and a purpose it grants.
        TokenVerifier,
        { provide: APP_GUARD, useClass: PractitionerGuard },
        ProjectionConsumer,
      ],
    };
  }
}
