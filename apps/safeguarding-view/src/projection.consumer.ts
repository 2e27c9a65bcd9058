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
import { readModelProjections, VIEW_SCHEMA } from '@jigsaw/view-model';

/** Consumes every agency topic and erasures (a child's reaches every read model) into the read models; offsets commit only after each transaction. */
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
  ) {
    // Notifications decide from the same topics in their own service, with their own consumer group.
    this.runner = new ProjectionRunner(pool, VIEW_SCHEMA, readModelProjections({ pool }), schemas);
    this.vault = new PersonalDataVault(pool, { masterKey: config.ENCRYPTION_MASTER_KEY });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await consumeRecords(
      this.messaging,
      this.vault,
      { prefix: this.config.KAFKA_TOPIC_PREFIX, group: 'safeguarding-view' },
      (messages) => this.runner.handleBatch(messages),
    );
    this.logger.log('consuming agency topics');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}
