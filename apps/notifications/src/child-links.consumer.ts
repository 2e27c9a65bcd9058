import { Inject, Injectable } from '@nestjs/common';
import type { ServiceConfig } from '@jigsaw/config';
import type { Pool } from '@jigsaw/database';
import { SchemaRegistry } from '@jigsaw/envelope';
import { hubEventsTopic, linksProjection } from '@jigsaw/identity';
import { KafkaMessaging } from '@jigsaw/messaging';
import { PG_POOL, SERVICE_CONFIG } from '@jigsaw/platform';
import { ProjectionRunner } from '@jigsaw/projection';
import { NOTIFICATIONS_SCHEMA } from './notification-store.js';
import { TopicConsumer } from './topic-consumer.js';

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
export class ChildLinksConsumer extends TopicConsumer {
  constructor(
    @Inject(PG_POOL) pool: Pool,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
    @Inject(NOTIFICATIONS_SCHEMA) schema: string,
    messaging: KafkaMessaging,
    schemas: SchemaRegistry,
  ) {
    super(new ProjectionRunner(pool, schema, [linksProjection], schemas), messaging, config, {
      group: linksGroup,
      topic: hubEventsTopic,
      context: 'notifications-links',
      consuming: 'consuming identity events',
    });
  }
}
