import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUrl, Min } from 'class-validator';
import { PractitionerGuard, TokenVerifier } from '@jigsaw/auth';
import { loadConfig, ServiceConfig } from '@jigsaw/config';
import type { Pool } from '@jigsaw/database';
import { EVENT_STORE_MIGRATIONS } from '@jigsaw/event-store';
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
import {
  IsSchoolHolidays,
  IsWebhookList,
  NOTIFICATION_DEFAULTS as N,
} from './notifications/notifications.config.js';
import { NotificationsController, notificationProviders } from './notifications/notifications.providers.js';
import { ProjectionConsumer, viewTopics } from './projection.consumer.js';
import { ChildViewController } from './view/child-view.controller.js';
import { ChildViewService } from './view/child-view.service.js';

export class SafeguardingViewConfig extends ServiceConfig {
  override PORT = 3000;

  /** Where the console finds the audit service's access log (CORS must allow the console's origin). */
  @IsOptional()
  @IsUrl({ require_tld: false })
  CONSOLE_AUDIT_URL?: string;

  // Notifications (docs/integrating.md, Notifications).
  @IsSchoolHolidays() SCHOOL_HOLIDAYS = N.SCHOOL_HOLIDAYS;
  @IsWebhookList() NOTIFICATION_WEBHOOKS = N.NOTIFICATION_WEBHOOKS;
  @Type(() => Number) @IsInt() @Min(10) NOTIFICATION_TICK_MS = N.NOTIFICATION_TICK_MS;
  @Type(() => Number) @IsInt() @Min(1) NOTIFICATION_RETRY_BASE_MS = N.NOTIFICATION_RETRY_BASE_MS;
  @Type(() => Number) @IsInt() @Min(1) NOTIFICATION_RETRY_MAX_MS = N.NOTIFICATION_RETRY_MAX_MS;
  @Type(() => Number) @IsInt() @Min(1) NOTIFICATION_MAX_ATTEMPTS = N.NOTIFICATION_MAX_ATTEMPTS;
  @Type(() => Number) @IsInt() @Min(100) NOTIFICATION_HTTP_TIMEOUT_MS = N.NOTIFICATION_HTTP_TIMEOUT_MS;
  @Type(() => Number) @IsInt() @Min(1) NOTIFICATION_MAX_AGE_DAYS = N.NOTIFICATION_MAX_AGE_DAYS;
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
            ...readModelMigrations(VIEW_SCHEMA),
          ],
          topics: [
            ...viewTopics(config.KAFKA_TOPIC_PREFIX),
            deadLetterTopic(config.KAFKA_TOPIC_PREFIX),
            hubEventsTopic(config.KAFKA_TOPIC_PREFIX),
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
        NotificationsController,
        FhirFlagController,
      ],
      providers: [
        ChildRefResolver,
        ChildAccessGate,
        {
          provide: EVENT_STORE,
          inject: [PG_POOL, SERVICE_CONFIG, KURRENTDB_CLIENT],
          // No route: access events stay in the store for the audit service, off the agency topics.
          useFactory: (pool: Pool, c: ServiceConfig, kurrentdb: KurrentDBClient | null) =>
            createEventStore(c, pool, kurrentdb),
        },
        AccessLog,
        ChildViewService,
        // Global: every route but health needs a practitioner token and a purpose it grants.
        TokenVerifier,
        { provide: APP_GUARD, useClass: PractitionerGuard },
        ProjectionConsumer,
        ...notificationProviders,
      ],
    };
  }
}
