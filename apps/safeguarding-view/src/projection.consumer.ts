import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { ServiceConfig } from '@jigsaw/config';
import type { Pool } from '@jigsaw/database';
import { AGENCIES, SchemaRegistry } from '@jigsaw/envelope';
import { agencyTopic, deadLetterTopic, KafkaMessaging, type MessageConsumer } from '@jigsaw/messaging';
import { PG_POOL, SERVICE_CONFIG } from '@jigsaw/platform';
import { ProjectionRunner } from '@jigsaw/projection';
import { NotificationsProjection } from './notifications/notifications.projection.js';
import { readModelProjections } from './read-models.js';
import { VIEW_SCHEMA } from './view-schema.js';

export function viewTopics(prefix: string): string[] {
  return AGENCIES.map((agency) => agencyTopic(prefix, agency));
}

/** Consumes every agency topic into the shared read models; offsets commit only after each transaction. */
@Injectable()
export class ProjectionConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('projection');
  readonly runner: ProjectionRunner;
  private consumer: MessageConsumer | undefined;

  constructor(
    @Inject(PG_POOL) pool: Pool,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly messaging: KafkaMessaging,
    schemas: SchemaRegistry,
    notifications: NotificationsProjection,
  ) {
    // Notifications react to the read models' events rather than being one: acknowledgements, escalations
    // and deliveries are not rebuilt from history, so they are not in VIEW_READ_MODELS.
    this.runner = new ProjectionRunner(
      pool,
      VIEW_SCHEMA,
      [...readModelProjections({ pool }), notifications],
      schemas,
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    const prefix = this.config.KAFKA_TOPIC_PREFIX;
    this.consumer = this.messaging.consumer({
      groupId: `${prefix}safeguarding-view`,
      topics: viewTopics(prefix),
      deadLetterTopic: deadLetterTopic(prefix),
    });
    await this.consumer.startBatch((messages) => this.runner.handleBatch(messages));
    this.logger.log('consuming agency topics');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
