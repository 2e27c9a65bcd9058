import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Pool } from '@jigsaw/database';
import { PostgresEventStore } from '@jigsaw/event-store';
import { PG_POOL } from '@jigsaw/platform';
import { PartnershipReadsSubscription } from '@jigsaw/view-model';

/**
 * Follows the access events in the store into the data protection officers' inbox of partnership-wide
 * reads. The PostgreSQL store, whatever `EVENT_STORE` says: that is where the audit service records them.
 */
@Injectable()
export class PartnershipReadsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('partnership-reads');
  readonly subscription: PartnershipReadsSubscription;

  constructor(@Inject(PG_POOL) pool: Pool) {
    this.subscription = new PartnershipReadsSubscription(pool, new PostgresEventStore(pool));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.subscription.start((error) =>
      this.logger.warn(`following partnership-wide reads paused: ${(error as Error).name}`),
    );
    this.logger.log('following partnership-wide reads');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription.stop();
  }
}
