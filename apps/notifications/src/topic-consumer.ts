import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { ServiceConfig } from '@jigsaw/config';
import { deadLetterTopic, type KafkaMessaging, type MessageConsumer } from '@jigsaw/messaging';
import type { ProjectionRunner } from '@jigsaw/projection';

/** Where one of the notifications' groups reads, and what it logs once it does. */
export interface TopicGroup {
  group: (prefix: string) => string;
  topic: (prefix: string) => string;
  /** The logger's context. */
  context: string;
  consuming: string;
}

/**
 * One of the notifications' consumer groups over one topic: its projection runner applies each batch once
 * (marks in the notifications' own schema), unreadable messages go to the dead-letter topic, and the group
 * starts once the service is up and stops, after the chunk in hand, at shutdown.
 */
export abstract class TopicConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  protected readonly logger: Logger;
  private consumer: MessageConsumer | undefined;

  protected constructor(
    readonly runner: ProjectionRunner,
    private readonly messaging: KafkaMessaging,
    private readonly config: ServiceConfig,
    private readonly at: TopicGroup,
  ) {
    this.logger = new Logger(at.context);
  }

  /** What follows each batch once its transaction has committed: nothing, unless a group says so. */
  protected afterBatch(): Promise<void> {
    return Promise.resolve();
  }

  async onApplicationBootstrap(): Promise<void> {
    const prefix = this.config.KAFKA_TOPIC_PREFIX;
    const consumer = this.messaging.consumer({
      groupId: this.at.group(prefix),
      topics: [this.at.topic(prefix)],
      deadLetterTopic: deadLetterTopic(prefix),
    });
    this.consumer = consumer;
    await consumer.startBatch(async (messages) => {
      const rejected = await this.runner.handleBatch(messages);
      await this.afterBatch();
      return rejected;
    });
    this.logger.log(this.at.consuming);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
