import { Inject, Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';
import { PractitionerGuard, TokenVerifier } from '@jigsaw/auth';
import { loadConfig, ServiceConfig } from '@jigsaw/config';
import { OWNER_ROLES, type Pool } from '@jigsaw/database';
import { allowOrigins, IsOriginList } from '@jigsaw/http';
import { EVENT_STORE_MIGRATIONS } from '@jigsaw/event-store';
import { hubEventsTopic, IDENTITY_MIGRATIONS } from '@jigsaw/identity';
import { recordTopics } from '@jigsaw/erasure';
import { deadLetterTopic } from '@jigsaw/messaging';
import {
  createEventStore,
  EVENT_STORE,
  KURRENTDB_CLIENT,
  PG_POOL,
  PlatformModule,
  SERVICE_CONFIG,
} from '@jigsaw/platform';
import { AccessLog, accessTopic, liveNotificationsMigrations } from '@jigsaw/view-model';
import { ChildLinksConsumer } from './child-links.consumer.js';
import { CpIsLookupsConsumer } from './cp-is-lookups.consumer.js';
import { NotificationsConsumer } from './notifications.consumer.js';
import { IsSchoolHolidays, IsWebhookList, NOTIFICATION_DEFAULTS as N } from './notifications.config.js';
import { NotificationsController, notificationProviders } from './notifications.providers.js';

export class NotificationsConfig extends ServiceConfig {
  override PORT = 3006;

  /** Browser origins allowed to call the API, comma-separated: the view's console, e.g. http://localhost:3000. */
  @IsOptional()
  @IsOriginList()
  CORS_ORIGINS?: string;

  // docs/integrating.md, Notifications.
  @IsSchoolHolidays() SCHOOL_HOLIDAYS = N.SCHOOL_HOLIDAYS;
  @IsWebhookList() NOTIFICATION_WEBHOOKS = N.NOTIFICATION_WEBHOOKS;
  @Type(() => Number) @IsInt() @Min(10) NOTIFICATION_TICK_MS = N.NOTIFICATION_TICK_MS;
  @Type(() => Number) @IsInt() @Min(1) NOTIFICATION_RETRY_BASE_MS = N.NOTIFICATION_RETRY_BASE_MS;
  @Type(() => Number) @IsInt() @Min(1) NOTIFICATION_RETRY_MAX_MS = N.NOTIFICATION_RETRY_MAX_MS;
  @Type(() => Number) @IsInt() @Min(1) NOTIFICATION_MAX_ATTEMPTS = N.NOTIFICATION_MAX_ATTEMPTS;
  @Type(() => Number) @IsInt() @Min(100) NOTIFICATION_HTTP_TIMEOUT_MS = N.NOTIFICATION_HTTP_TIMEOUT_MS;
  @Type(() => Number) @IsInt() @Min(1) NOTIFICATION_MAX_AGE_DAYS = N.NOTIFICATION_MAX_AGE_DAYS;
}

/**
 * Notifications: CP-IS and Operation Encompass decided from the agency topics by its own consumer group,
 * and the council told of each CP-IS flag look-up the view publishes on hub.access by another; recorded on
 * each notification's stream, escalated and delivered by webhook. The inbox and the work-queue are read
 * models in its own schema, which no other service reads.
 */
@Module({})
export class AppModule implements NestModule {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: NotificationsConfig) {}

  static register(config: NotificationsConfig = loadConfig(NotificationsConfig)): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          name: 'notifications',
          role: OWNER_ROLES.notifications,
          config,
          migrations: [
            EVENT_STORE_MIGRATIONS,
            IDENTITY_MIGRATIONS,
            // Its own: the events it applied, each child's history and links, the intents, the inbox and the
            // work-queue; moved out of the view's schema on a store made before they were.
            ...liveNotificationsMigrations(),
          ],
          topics: [
            ...recordTopics(config.KAFKA_TOPIC_PREFIX),
            hubEventsTopic(config.KAFKA_TOPIC_PREFIX),
            accessTopic(config.KAFKA_TOPIC_PREFIX),
            deadLetterTopic(config.KAFKA_TOPIC_PREFIX),
          ],
        }),
      ],
      controllers: [NotificationsController],
      providers: [
        {
          provide: EVENT_STORE,
          inject: [PG_POOL, SERVICE_CONFIG, KURRENTDB_CLIENT],
          // No route: a notification's stream stays in the store, off every topic.
          useFactory: (pool: Pool, c: ServiceConfig, kurrentdb: KurrentDBClient | null) =>
            createEventStore(c, pool, kurrentdb),
        },
        AccessLog,
        // Global: every route but health needs a practitioner token and a purpose it grants.
        TokenVerifier,
        { provide: APP_GUARD, useClass: PractitionerGuard },
        NotificationsConsumer,
        ChildLinksConsumer,
        CpIsLookupsConsumer,
        ...notificationProviders,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    allowOrigins(consumer, this.config.CORS_ORIGINS);
  }
}
