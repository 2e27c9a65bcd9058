import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { IsOptional, IsUrl } from 'class-validator';
import { PractitionerGuard, TokenVerifier } from '@jigsaw/auth';
import { loadConfig, ServiceConfig } from '@jigsaw/config';
import { OWNER_ROLES, type Pool } from '@jigsaw/database';
import { EVENT_STORE_MIGRATIONS } from '@jigsaw/event-store';
import { recordTopics } from '@jigsaw/erasure';
import { hubEventsTopic, IDENTITY_MIGRATIONS, IdentityModule } from '@jigsaw/identity';
import { deadLetterTopic } from '@jigsaw/messaging';
import {
  createEventStore,
  EVENT_STORE,
  KURRENTDB_CLIENT,
  PG_POOL,
  PlatformModule,
  SERVICE_CONFIG,
} from '@jigsaw/platform';
import { appliedEventsMigrations } from '@jigsaw/projection';
import {
  AccessLog,
  accessTopic,
  ChildLinks,
  ChildRefResolver,
  readModelMigrations,
  VIEW_SCHEMA,
} from '@jigsaw/view-model';
import { AccessClaimsController } from './children/access-claims.controller.js';
import { SecurityLogController } from './children/security-log.controller.js';
import { ReviewsController } from './reviews/reviews.controller.js';
import { ChildAccessGate } from './children/child-access.gate.js';
import { FindChildController } from './children/find-child.controller.js';
import { ConsoleController, RootController } from './console/console.controller.js';
import { FhirFlagController } from './fhir/fhir-flag.controller.js';
import { ChronologyController } from './chronology/chronology.controller.js';
import { PartnershipReadsConsumer } from './children/partnership-reads.consumer.js';
import { ProjectionConsumer } from './projection.consumer.js';
import { ChildViewController } from './view/child-view.controller.js';
import { ACCESS_PUBLISHING } from './view/access-publishing.js';
import { ChildViewService } from './view/child-view.service.js';

export class SafeguardingViewConfig extends ServiceConfig {
  override PORT = 3000;

  /** Where the console finds the audit service's access log (CORS must allow the console's origin). */
  @IsOptional()
  @IsUrl({ require_tld: false })
  CONSOLE_AUDIT_URL?: string;

  /** Where the console finds the notifications service's inbox (CORS must allow the console's origin). */
  @IsOptional()
  @IsUrl({ require_tld: false })
  CONSOLE_NOTIFICATIONS_URL?: string;
}

@Module({})
export class AppModule {
  static register(config: SafeguardingViewConfig = loadConfig(SafeguardingViewConfig)): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          name: 'safeguarding-view',
          role: OWNER_ROLES.view,
          config,
          migrations: [
            // The access log: every read is an event in the same store as the records read.
            EVENT_STORE_MIGRATIONS,
            IDENTITY_MIGRATIONS,
            appliedEventsMigrations(VIEW_SCHEMA),
            ...readModelMigrations(VIEW_SCHEMA),
          ],
          topics: [
            ...recordTopics(config.KAFKA_TOPIC_PREFIX),
            deadLetterTopic(config.KAFKA_TOPIC_PREFIX),
            hubEventsTopic(config.KAFKA_TOPIC_PREFIX),
            accessTopic(config.KAFKA_TOPIC_PREFIX),
          ],
        }),
        // Identity's registry (which ChildRefResolver looks children up in), decisions and events; its links
        // are projected into the view's schema and read back by ChildLinks.
        IdentityModule.register({ readSchema: VIEW_SCHEMA, links: ChildLinks }),
      ],
      controllers: [
        ChronologyController,
        FindChildController,
        AccessClaimsController,
        SecurityLogController,
        ReviewsController,
        ConsoleController,
        RootController,
        ChildViewController,
        FhirFlagController,
      ],
      providers: [
        ChildRefResolver,
        ChildAccessGate,
        {
          provide: EVENT_STORE,
          inject: [PG_POOL, SERVICE_CONFIG, KURRENTDB_CLIENT],
          // No route: access events stay in the store for the audit service, off every topic.
          useFactory: (pool: Pool, c: ServiceConfig, kurrentdb: KurrentDBClient | null) =>
            createEventStore(c, pool, kurrentdb),
        },
        AccessLog,
        // The CP-IS flag look-ups, on hub.access for the notifications service.
        ...ACCESS_PUBLISHING,
        ChildViewService,
        // Global: every route but health needs a practitioner token and a purpose it grants.
        TokenVerifier,
        { provide: APP_GUARD, useClass: PractitionerGuard },
        ProjectionConsumer,
        PartnershipReadsConsumer,
      ],
    };
  }
}
