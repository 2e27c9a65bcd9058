import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { ServiceConfig } from '@jigsaw/config';
import type { Pool } from '@jigsaw/database';
import { erasureTopic } from '@jigsaw/erasure';
import { OutboxRelay } from '@jigsaw/event-store';
import { KafkaMessaging, type Publisher } from '@jigsaw/messaging';
import { PG_POOL, SERVICE_CONFIG } from '@jigsaw/platform';

/**
 * Publishes the erasures that the audit service and CLI store (hub.child-erased), so that every live read
 * model forgets the child. One replica of the audit service leads; the others stand by.
 */
@Injectable()
export class ErasureRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('outbox-relay');
  private readonly publisher: Publisher;
  private readonly relay: OutboxRelay;

  constructor(
    @Inject(PG_POOL) pool: Pool,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
    messaging: KafkaMessaging,
  ) {
    this.publisher = messaging.publisher();
    this.relay = new OutboxRelay(pool, this.publisher, {
      topics: [erasureTopic(config.KAFKA_TOPIC_PREFIX)],
      onError: (error) => this.logger.warn(`relay paused: ${(error as Error).message}`),
    });
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    await this.publisher.close();
  }
}
