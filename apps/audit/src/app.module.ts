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
import { OWNER_ROLES, type Pool } from '@jigsaw/database';
import { erasureTopic } from '@jigsaw/erasure';
import { PG_POOL, PlatformModule, SERVICE_CONFIG } from '@jigsaw/platform';
import { AccessLogController } from './access-log/access-log.controller.js';
import { AsKnownAtController } from './as-known-at/as-known-at.controller.js';
import { AUDIT, AUDIT_SERVICE_MIGRATIONS, createAudit, type Audit } from './audit.js';
import { RebuildPools } from './rebuild/rebuild-pools.js';
import { AuditorGuard } from './auth/auditor.guard.js';
import { ERASURE_PUBLISHING } from './erasure/erasure-publishing.js';
import { OperationsController } from './commands/operations.controller.js';
import { NotificationHistoryController } from './notifications/notification-history.controller.js';
import { SubjectAccessController } from './subject-access/subject-access.controller.js';

const REBUILD_POOLS = Symbol('REBUILD_POOLS');

/** The rebuilds' own connections, each acting as a read model owner's role: what they build and swap is its. */
@Injectable()
class RebuildPoolCloser implements OnApplicationShutdown {
  constructor(@Inject(REBUILD_POOLS) private readonly pools: RebuildPools) {}

  async onApplicationShutdown(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.pools.end(), new Promise((resolve) => (timer = setTimeout(resolve, 1_000)))]);
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
          provide: REBUILD_POOLS,
          // After PG_POOL, whose start made the roles.
          inject: [PG_POOL, SERVICE_CONFIG],
          useFactory: (_pool: Pool, c: ServiceConfig): RebuildPools =>
            new RebuildPools(c.DATABASE_URL, 'audit-rebuild'),
        },
        RebuildPoolCloser,
        {
          provide: AUDIT,
          inject: [PG_POOL, SERVICE_CONFIG, REBUILD_POOLS],
          useFactory: (pool: Pool, c: ServiceConfig, rebuildPools: RebuildPools): Audit =>
            createAudit(
              pool,
              c.IDENTIFIER_HMAC_SECRET,
              c.ENCRYPTION_MASTER_KEY,
              c.KAFKA_TOPIC_PREFIX,
              rebuildPools,
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
