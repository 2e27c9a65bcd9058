import {
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { KurrentDBClient } from '@kurrent/kurrentdb-client';
import type { ServiceConfig } from '@jigsaw/config';
import type { Pool } from '@jigsaw/database';
import { KurrentDbPublisher, OutboxRelay } from '@jigsaw/event-store';
import { IdentityRegistry } from '@jigsaw/identity';
import { KafkaMessaging } from '@jigsaw/messaging';
import { createEventStore, KURRENTDB_CLIENT, PG_POOL, SERVICE_CONFIG } from '@jigsaw/platform';
import { ChildLinks } from '@jigsaw/view-model';
import { IDENTITY_EVENT_STORE, IdentityCommands } from './identity-commands.js';
import { hubEventsTopic, IdentityConsumers } from './identity.consumers.js';
import { IdentityController, IdentityDeciderGuard } from './identity.controller.js';
import { PossibleMatchRaiser } from './possible-match.raiser.js';

/** Publishes the hub's identity events from the outbox; one replica of the view leads, the others stand by. */
@Injectable()
class IdentityRelayLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelay,
    // Set when the store is KurrentDB: it publishes instead of the outbox relay.
    @Inject(KurrentDbPublisher) private readonly kurrentdb: KurrentDbPublisher | null,
  ) {}

  onApplicationBootstrap(): void {
    (this.kurrentdb ?? this.relay).start();
  }

  async onApplicationShutdown(): Promise<void> {
    await (this.kurrentdb ?? this.relay).stop();
  }
}

/** Identity resolution in the view: possible matches, links and their projection, and ChildLinks. */
@Module({
  controllers: [IdentityController],
  providers: [
    {
      provide: IdentityRegistry,
      inject: [PG_POOL, SERVICE_CONFIG],
      useFactory: (pool: Pool, c: ServiceConfig) => new IdentityRegistry(pool, c.IDENTIFIER_HMAC_SECRET),
    },
    {
      provide: OutboxRelay,
      inject: [PG_POOL, KafkaMessaging, SERVICE_CONFIG],
      useFactory: (pool: Pool, messaging: KafkaMessaging, config: ServiceConfig) => {
        const logger = new Logger('outbox-relay');
        return new OutboxRelay(pool, messaging.publisher(), {
          topics: [hubEventsTopic(config.KAFKA_TOPIC_PREFIX)],
          onError: (error) => logger.warn(`relay paused: ${(error as Error).name}`),
        });
      },
    },
    {
      provide: KurrentDbPublisher,
      inject: [PG_POOL, KafkaMessaging, KURRENTDB_CLIENT],
      useFactory: (pool: Pool, messaging: KafkaMessaging, kurrentdb: KurrentDBClient | null) => {
        if (!kurrentdb) return null;
        const logger = new Logger('kurrentdb-publisher');
        return new KurrentDbPublisher(kurrentdb, pool, messaging.publisher(), {
          name: 'identity',
          streamPrefixes: ['identity-'],
          onError: (error) => logger.warn(`publisher paused: ${(error as Error).name}`),
        });
      },
    },
    IdentityRelayLifecycle,
    {
      provide: IDENTITY_EVENT_STORE,
      inject: [PG_POOL, SERVICE_CONFIG, OutboxRelay, KURRENTDB_CLIENT],
      useFactory: (
        pool: Pool,
        config: ServiceConfig,
        relay: OutboxRelay,
        kurrentdb: KurrentDBClient | null,
      ) =>
        createEventStore(config, pool, kurrentdb, {
          afterAppend: () => relay.wake(),
          // The stream's hub child id: pseudonymous, and the same for every event about one pair.
          route: (event) => ({ topic: hubEventsTopic(config.KAFKA_TOPIC_PREFIX), key: event.childid }),
        }),
    },
    ChildLinks,
    IdentityCommands,
    IdentityDeciderGuard,
    PossibleMatchRaiser,
    IdentityConsumers,
  ],
  exports: [ChildLinks, IdentityCommands, IdentityRegistry],
})
export class IdentityModule {}
