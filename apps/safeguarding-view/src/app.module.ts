import { Module, type DynamicModule } from '@nestjs/common';
import { loadConfig, ServiceConfig } from '@jigsaw/config';
import type { Pool } from '@jigsaw/database';
import { IDENTITY_MIGRATIONS, IdentityRegistry } from '@jigsaw/identity';
import { deadLetterTopic } from '@jigsaw/messaging';
import { PG_POOL, PlatformModule, SERVICE_CONFIG } from '@jigsaw/platform';
import { appliedEventsMigrations } from '@jigsaw/projection';
import { ChildRefResolver } from './children/child-ref.js';
import { ChronologyController } from './chronology/chronology.controller.js';
import { ProjectionConsumer, viewTopics } from './projection.consumer.js';
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
            IDENTITY_MIGRATIONS,
            appliedEventsMigrations(VIEW_SCHEMA),
            viewMigrations(VIEW_SCHEMA),
          ],
          topics: [...viewTopics(config.KAFKA_TOPIC_PREFIX), deadLetterTopic(config.KAFKA_TOPIC_PREFIX)],
        }),
      ],
      controllers: [ChronologyController],
      providers: [
        {
          provide: IdentityRegistry,
          inject: [PG_POOL, SERVICE_CONFIG],
          useFactory: (pool: Pool, c: ServiceConfig) => new IdentityRegistry(pool, c.IDENTIFIER_HMAC_SECRET),
        },
        ChildRefResolver,
        ProjectionConsumer,
      ],
    };
  }
}
