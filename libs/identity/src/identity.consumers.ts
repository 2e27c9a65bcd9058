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
import { BIRTH_LINKED, isTyped } from '@jigsaw/contracts';
import { childLinksProjection } from './child-links.projection.js';
import { IdentityCommands } from './identity-commands.js';
import { IdentityRegistry } from './identity-registry.js';
import { IDENTITY_OPTIONS, type IdentityModuleOptions } from './identity.options.js';

export function hubEventsTopic(prefix: string): string {
  return `${prefix}hub.events`;
}

/**
 * The pregnancy a birth record names and the baby's hub id, or undefined for any other record. Read from
 * the topic as sent, so each value is checked again, as a consumer of a message must.
 */
export function birthLinkOf(
  event: RecordedEvent,
): { unbornRef: { system: string; value: string }; childId: string } | undefined {
  if (!isTyped(event, BIRTH_LINKED)) return undefined;
  const ref: { system?: unknown; value?: unknown } | undefined = event.data.unbornRef;
  const childId: unknown = event.childid;
  if (typeof ref?.system !== 'string' || typeof ref.value !== 'string' || typeof childId !== 'string') {
    return undefined;
  }
  return { unbornRef: { system: ref.system, value: ref.value }, childId };
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
    @Inject(IDENTITY_OPTIONS) options: IdentityModuleOptions,
  ) {
    this.runner = new ProjectionRunner(pool, options.readSchema, [childLinksProjection], schemas);
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
      let event: RecordedEvent | null;
      try {
        event = readStoredEvent(JSON.parse(message.value?.toString('utf8') ?? ''));
      } catch {
        continue;
      }
      const birth = event ? birthLinkOf(event) : undefined;
      if (event && birth) await this.linkBirth(event, birth);
    }
    return [];
  }

  private async linkBirth(
    event: RecordedEvent,
    { unbornRef, childId }: NonNullable<ReturnType<typeof birthLinkOf>>,
  ): Promise<void> {
    const unborn = await this.registry.lookupLocal('health', unbornRef);
    // A pregnancy the hub never heard of has no records to link.
    if (!unborn?.unborn) return;
    try {
      await this.commands.linkUnborn(
        childId,
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
