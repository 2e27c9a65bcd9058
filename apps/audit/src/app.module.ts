import { Inject, Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { IsOptional } from 'class-validator';
import { TokenVerifier } from '@jigsaw/auth';
import { loadConfig, ServiceConfig } from '@jigsaw/config';
import { allowOrigins, IsOriginList } from '@jigsaw/http';
import type { Pool } from '@jigsaw/database';
import { erasureTopic } from '@jigsaw/erasure';
import { PG_POOL, PlatformModule, SERVICE_CONFIG } from '@jigsaw/platform';
import { AccessLogController } from './access-log/access-log.controller.js';
import { AsKnownAtController } from './as-known-at/as-known-at.controller.js';
import { AUDIT, AUDIT_SERVICE_MIGRATIONS, createAudit, type Audit } from './audit.js';
import { AuditorGuard } from './auth/auditor.guard.js';
import { ERASURE_PUBLISHING } from './erasure/erasure-publishing.js';
import { OperationsController } from './commands/operations.controller.js';
import { NotificationHistoryController } from './notifications/notification-history.controller.js';
import { SubjectAccessController } from './subject-access/subject-access.controller.js';

export class AuditConfig extends ServiceConfig {
  override PORT = 3005;

  /** Browser origins allowed to call the API, comma-separated: the view's console, e.g. http://localhost:3000. */
  @IsOptional()
  @IsOriginList()
  CORS_ORIGINS?: string;
}

@Module({})
export class AppModule implements NestModule {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: AuditConfig) {}

  static register(config: AuditConfig = loadConfig(AuditConfig)): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          name: 'audit',
          config,
          migrations: AUDIT_SERVICE_MIGRATIONS,
          topics: [erasureTopic(config.KAFKA_TOPIC_PREFIX)],
        }),
      ],
      controllers: [
        AsKnownAtController,
        AccessLogController,
        SubjectAccessController,
        OperationsController,
        NotificationHistoryController,
      ],
      providers: [
        {
          provide: AUDIT,
          inject: [PG_POOL, SERVICE_CONFIG],
          useFactory: (pool: Pool, c: ServiceConfig): Audit =>
            createAudit(pool, c.IDENTIFIER_HMAC_SECRET, c.ENCRYPTION_MASTER_KEY, c.KAFKA_TOPIC_PREFIX),
        },
        ...ERASURE_PUBLISHING,
        // Global: every route but health needs a token with an auditing role and the audit purpose.
        TokenVerifier,
        { provide: APP_GUARD, useClass: AuditorGuard },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    allowOrigins(consumer, this.config.CORS_ORIGINS);
  }
}
