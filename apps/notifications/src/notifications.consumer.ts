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
import { consumeRecords, PersonalDataVault } from '@jigsaw/erasure';
import { KafkaMessaging, type MessageConsumer } from '@jigsaw/messaging';
import { PG_POOL, SERVICE_CONFIG } from '@jigsaw/platform';
import { ProjectionRunner } from '@jigsaw/projection';
import { NotificationCommands } from './notification-commands.js';
import { NOTIFICATIONS_SCHEMA } from './notification-store.js';
import { NotificationsProjection } from './notifications.projection.js';

/**
 * The notifications' own consumer group, `<prefix>notifications`, over the agency topics and erasures: it
 * applies NotificationsProjection once per event (its applied marks in the notifications' own schema), so
 * what it decides depends only on what this group has applied. Each batch's intents commit with it and are
 * recorded on their notifications' streams once it has.
 */
@Injectable()
export class NotificationsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('notifications-consumer');
  readonly runner: ProjectionRunner;
  private readonly vault: PersonalDataVault;
  private consumer: MessageConsumer | undefined;

  constructor(
    @Inject(PG_POOL) pool: Pool,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(NOTIFICATIONS_SCHEMA) schema: string,
    private readonly messaging: KafkaMessaging,
    schemas: SchemaRegistry,
    notifications: NotificationsProjection,
    private readonly commands: NotificationCommands,
  ) {
    this.runner = new ProjectionRunner(pool, schema, [notifications], schemas);
    this.vault = new PersonalDataVault(pool, { masterKey: config.ENCRYPTION_MASTER_KEY });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await consumeRecords(
      this.messaging,
      this.vault,
      { prefix: this.config.KAFKA_TOPIC_PREFIX, group: 'notifications' },
      async (messages) => {
        const rejected = await this.runner.handleBatch(messages);
        await this.commands.recordCommitted(this.logger);
        return rejected;
      },
    );
    this.logger.log('consuming agency topics');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
