import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { ServiceConfig } from '@jigsaw/config';
import type { Pool } from '@jigsaw/database';
import { readStoredEvent, SchemaRegistry, type RecordedEvent } from '@jigsaw/envelope';
import { openMessages, PersonalDataVault } from '@jigsaw/erasure';
import { ErrorCode, JigsawError } from '@jigsaw/errors';
import { IdentityRegistry } from '@jigsaw/identity';
import {
  agencyTopic,
  deadLetterTopic,
  KafkaMessaging,
  type IncomingMessage,
  type MessageConsumer,
  type RejectedMessage,
} from '@jigsaw/messaging';
import { PG_POOL, SERVICE_CONFIG } from '@jigsaw/platform';
import { ProjectionRunner } from '@jigsaw/projection';
import { VIEW_SCHEMA } from '@jigsaw/view-model';
import { childLinksProjection } from './child-links.projection.js';
import { IdentityCommands } from './identity-commands.js';

export const BIRTH_LINKED = 'health.birth-linked';

export function hubEventsTopic(prefix: string): string {
  return `${prefix}hub.events`;
}

interface BirthLinkedData {
  unbornRef?: { system?: unknown; value?: unknown };
}

/**
 * Projects identity events (`<prefix>hub.events`) into the links every read model follows, and links an
 * unborn child's record to the baby when health records the birth (`health.birth-linked`), as a
 * `hub.unborn-linked` event decided by the trust's system.
 */
@Injectable()
export class IdentityConsumers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('identity');
  readonly runner: ProjectionRunner;
  private readonly vault: PersonalDataVault;
  private readonly consumers: MessageConsumer[] = [];

  constructor(
    @Inject(PG_POOL) pool: Pool,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly messaging: KafkaMessaging,
    private readonly registry: IdentityRegistry,
    private readonly commands: IdentityCommands,
    schemas: SchemaRegistry,
  ) {
    this.runner = new ProjectionRunner(pool, VIEW_SCHEMA, [childLinksProjection], schemas);
    this.vault = new PersonalDataVault(pool, { masterKey: config.ENCRYPTION_MASTER_KEY });
  }

  async onApplicationBootstrap(): Promise<void> {
    const prefix = this.config.KAFKA_TOPIC_PREFIX;
    const links = this.messaging.consumer({
      groupId: `${prefix}safeguarding-view-identity`,
      topics: [hubEventsTopic(prefix)],
      deadLetterTopic: deadLetterTopic(prefix),
    });
    this.consumers.push(links);
    await links.startBatch((messages) => this.runner.handleBatch(messages));
    const births = this.messaging.consumer({
      groupId: `${prefix}safeguarding-view-births`,
      topics: [agencyTopic(prefix, 'health')],
    });
    this.consumers.push(births);
    await births.startBatch((messages) => this.linkBirths(messages));
    this.logger.log('consuming identity events and births');
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.stop()));
  }

  /** Unreadable messages are the chronology consumer's to dead-letter; here they are passed over. */
  async linkBirths(messages: readonly IncomingMessage[]): Promise<RejectedMessage[]> {
    // The pregnancy's reference is the mother's personal data, sealed on the topic: open it first.
    for (const message of (await openMessages(this.vault, messages)).messages) {
      let event: RecordedEvent<string, BirthLinkedData>;
      try {
        event = readStoredEvent(JSON.parse(message.value?.toString('utf8') ?? '')) as RecordedEvent<
          string,
          BirthLinkedData
        >;
      } catch {
        continue;
      }
      if (event?.type === BIRTH_LINKED) await this.linkBirth(event);
    }
    return [];
  }

  private async linkBirth(event: RecordedEvent<string, BirthLinkedData>): Promise<void> {
    const ref = event.data?.unbornRef;
    if (typeof ref?.system !== 'string' || typeof ref.value !== 'string' || typeof event.childid !== 'string')
      return;
    const unborn = await this.registry.lookupLocal('health', { system: ref.system, value: ref.value });
    // A pregnancy the hub never heard of has no records to link.
    if (!unborn?.unborn) return;
    try {
      await this.commands.linkUnborn(
        event.childid,
        unborn.childId,
        {
          decidedBy: {
            sub: `system:${event.source}`,
            organisation: event.source,
            agency: 'health',
            role: 'agency-system',
          },
          reason:
            'The trust recorded the birth of the child it had recorded as unborn (health.birth-linked).',
        },
        { birthEvent: `${event.source}#${event.id}` },
      );
    } catch (error) {
      // A birth that cannot be linked (the baby's record is itself unborn) waits for a person.
      if (!(error instanceof JigsawError) || error.code !== ErrorCode.IdentityConflict) throw error;
      this.logger.warn('a birth could not be linked to its pregnancy: left for a practitioner');
    }
  }
}
