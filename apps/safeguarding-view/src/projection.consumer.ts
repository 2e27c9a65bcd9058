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
import { erasureTopic, openMessages, PersonalDataVault } from '@jigsaw/erasure';
import { agencyTopic, deadLetterTopic, KafkaMessaging, type MessageConsumer } from '@jigsaw/messaging';
import { PG_POOL, SERVICE_CONFIG } from '@jigsaw/platform';
import { ProjectionRunner } from '@jigsaw/projection';
import { readModelProjections, VIEW_SCHEMA } from '@jigsaw/view-model';
import { NotificationCommands } from './notifications/notification-commands.js';
import { NotificationsProjection } from './notifications/notifications.projection.js';

export function viewTopics(prefix: string): string[] {
  // And erasures: a child's reaches every read model.
  return [...AGENCIES.map((agency) => agencyTopic(prefix, agency)), erasureTopic(prefix)];
}

/** Consumes every agency topic into the shared read models; offsets commit only after each transaction. */
@Injectable()
export class ProjectionConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('projection');
  readonly runner: ProjectionRunner;
  readonly vault: PersonalDataVault;
  private consumer: MessageConsumer | undefined;

  constructor(
    @Inject(PG_POOL) pool: Pool,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly messaging: KafkaMessaging,
    schemas: SchemaRegistry,
    notifications: NotificationsProjection,
    private readonly commands: NotificationCommands,
  ) {
    // Notifications decide from the agency events here, as intents committed with each batch; the inbox and
    // the work-queue are read models of the notifications' own streams (VIEW_READ_MODELS).
    this.runner = new ProjectionRunner(
      pool,
      VIEW_SCHEMA,
      [...readModelProjections({ pool }), notifications],
      schemas,
    );
    this.vault = new PersonalDataVault(pool, { masterKey: config.ENCRYPTION_MASTER_KEY });
  }

  async onApplicationBootstrap(): Promise<void> {
    const prefix = this.config.KAFKA_TOPIC_PREFIX;
    this.consumer = this.messaging.consumer({
      groupId: `${prefix}safeguarding-view`,
      topics: viewTopics(prefix),
      deadLetterTopic: deadLetterTopic(prefix),
    });
    await this.consumer.startBatch(async (messages) => {
      // Personal data arrives sealed: open it (or mark it erased) before any read model sees it.
      const opened = await openMessages(this.vault, messages);
      const rejected = [...opened.rejected, ...(await this.runner.handleBatch(opened.messages))];
      // The batch's notification intents are committed: record them now rather than at the next tick.
      await this.commands
        .recordIntents()
        .catch((error: unknown) =>
          this.logger.warn(`notification intents left for the next tick: ${(error as Error).message}`),
        );
      return rejected;
    });
    this.logger.log('consuming agency topics');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
