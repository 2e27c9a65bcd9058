import {
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { ServiceConfig } from '@jigsaw/config';
import type { Pool } from '@jigsaw/database';
import { OutboxRelay, PostgresEventStore } from '@jigsaw/event-store';
import { IdentityRegistry } from '@jigsaw/identity';
import { KafkaMessaging } from '@jigsaw/messaging';
import { PG_POOL, SERVICE_CONFIG } from '@jigsaw/platform';
import { ChildLinks } from './child-links.js';
import { IDENTITY_EVENT_STORE, IdentityCommands } from './identity-commands.js';
import { hubEventsTopic, IdentityConsumers } from './identity.consumers.js';
import { IdentityController, IdentityDeciderGuard } from './identity.controller.js';
import { PossibleMatchRaiser } from './possible-match.raiser.js';

/**
 * Publishes the outbox. One relay per database is active (an advisory lock); this one stands by while an
 * agency service's relay holds it, and takes over when the view runs alone.
 */
@Injectable()
class IdentityRelayLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly relay: OutboxRelay) {}

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
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
      inject: [PG_POOL, KafkaMessaging],
      useFactory: (pool: Pool, messaging: KafkaMessaging) => {
        const logger = new Logger('outbox-relay');
        return new OutboxRelay(pool, messaging.publisher(), {
          onError: (error) => logger.warn(`relay paused: ${(error as Error).name}`),
        });
      },
    },
    IdentityRelayLifecycle,
    {
      provide: IDENTITY_EVENT_STORE,
      inject: [PG_POOL, SERVICE_CONFIG, OutboxRelay],
      useFactory: (pool: Pool, config: ServiceConfig, relay: OutboxRelay) =>
        new PostgresEventStore(pool, {
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
