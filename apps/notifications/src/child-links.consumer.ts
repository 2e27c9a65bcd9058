import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { ServiceConfig } from '@jigsaw/config';
import type { Pool } from '@jigsaw/database';
import { SchemaRegistry } from '@jigsaw/envelope';
import { hubEventsTopic, linksProjection } from '@jigsaw/identity';
import { deadLetterTopic, KafkaMessaging, type MessageConsumer } from '@jigsaw/messaging';
import { PG_POOL, SERVICE_CONFIG } from '@jigsaw/platform';
import { ProjectionRunner } from '@jigsaw/projection';
import { NOTIFICATIONS_OWN_SCHEMA } from './child-history.js';

/** The group of the notifications' own consumer of identity's events. */
export function linksGroup(prefix: string): string {
  return `${prefix}notifications-links`;
}

/**
 * The notifications' own copy of the links between hub children: its group `<prefix>notifications-links`
 * reads hub.events and applies identity's link events once each (marks in the notifications' own schema)
 * with the identity module's projection, into `child_links` and `child_members` there, which the rules
 * follow a child's linked records by. A new group starts from the topic's beginning, so a store made
 * before these tables builds them from the topic.
 */
@Injectable()
export class ChildLinksConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('notifications-links');
  readonly runner: ProjectionRunner;
  private consumer: MessageConsumer | undefined;

  constructor(
    @Inject(PG_POOL) pool: Pool,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(NOTIFICATIONS_OWN_SCHEMA) schema: string,
    private readonly messaging: KafkaMessaging,
    schemas: SchemaRegistry,
  ) {
    this.runner = new ProjectionRunner(pool, schema, [linksProjection], schemas);
  }

  async onApplicationBootstrap(): Promise<void> {
    const prefix = this.config.KAFKA_TOPIC_PREFIX;
    const consumer = this.messaging.consumer({
      groupId: linksGroup(prefix),
      topics: [hubEventsTopic(prefix)],
      deadLetterTopic: deadLetterTopic(prefix),
    });
    this.consumer = consumer;
    await consumer.startBatch((messages) => this.runner.handleBatch(messages));
    this.logger.log('consuming identity events');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
