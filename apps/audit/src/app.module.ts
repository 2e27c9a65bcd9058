import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { IsOptional } from 'class-validator';
import { TokenVerifier } from '@jigsaw/auth';
import { loadConfig, ServiceConfig } from '@jigsaw/config';
import { allowOrigins, IsOriginList } from '@jigsaw/http';
import { createPool, OWNER_ROLES, type Pool } from '@jigsaw/database';
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

const REBUILD_POOL = Symbol('REBUILD_POOL');

/** The rebuilds' own connections, acting as the view's role: what they build and swap is the view's. */
@Injectable()
class RebuildPoolCloser implements OnApplicationShutdown {
  constructor(@Inject(REBUILD_POOL) private readonly pool: Pool) {}

  async onApplicationShutdown(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.pool.end(), new Promise((resolve) => (timer = setTimeout(resolve, 1_000)))]);
    clearTimeout(timer);
  }
}

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
          role: OWNER_ROLES.audit,
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
          provide: REBUILD_POOL,
          // After PG_POOL, whose start made the roles.
          inject: [PG_POOL, SERVICE_CONFIG],
          useFactory: (_pool: Pool, c: ServiceConfig): Pool =>
            createPool(c.DATABASE_URL, { name: 'audit-rebuild', max: 4, role: OWNER_ROLES.view }),
        },
        RebuildPoolCloser,
        {
          provide: AUDIT,
          inject: [PG_POOL, SERVICE_CONFIG, REBUILD_POOL],
          useFactory: (pool: Pool, c: ServiceConfig, rebuildPool: Pool): Audit =>
            createAudit(
              pool,
              c.IDENTIFIER_HMAC_SECRET,
              c.ENCRYPTION_MASTER_KEY,
              c.KAFKA_TOPIC_PREFIX,
              rebuildPool,
            ),
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
