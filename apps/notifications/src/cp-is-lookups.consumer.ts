import { Inject, Injectable } from '@nestjs/common';
import type { ServiceConfig } from '@jigsaw/config';
import type { Pool, PoolClient } from '@jigsaw/database';
import { isTyped, type EventOf } from '@jigsaw/contracts';
import { SchemaRegistry, type RecordedEvent } from '@jigsaw/envelope';
import { KafkaMessaging } from '@jigsaw/messaging';
import { PG_POOL, SERVICE_CONFIG } from '@jigsaw/platform';
import { ProjectionRunner, type Projection } from '@jigsaw/projection';
import { accessTopic, CP_IS_FLAG_LOOKED_UP } from '@jigsaw/view-model';
import { CLOCK, type Clock } from './clock.js';
import { NotificationCommands, type NotificationIntent } from './notification-commands.js';
import { NOTIFICATIONS_SCHEMA } from './notification-store.js';
import { hasWebhookIn, type NotificationSettings } from './notifications.config.js';
import { TopicConsumer } from './topic-consumer.js';

/** The group of the notifications' consumer of the view's CP-IS flag look-ups. */
export function lookupsGroup(prefix: string): string {
  return `${prefix}notifications-lookups`;
}

/**
 * The responsible council's notification of a look-up of the CP-IS flag: keyed by the look-up's access
 * record, so applying the look-up again raises nothing new; delivered by webhook too where the council has
 * one, as every notification is.
 */
export function lookupIntentOf(
  lookup: EventOf<typeof CP_IS_FLAG_LOOKED_UP>,
  hasWebhook: (organisation: string) => boolean,
): NotificationIntent {
  const { accessId, childId, council, careStatuses, statusEvents, triggerEventKey } = lookup.data;
  return {
    kind: 'raise',
    hasWebhook: hasWebhook(council),
    notification: {
      dedupeKey: `cp-is-lookup|${accessId}`,
      kind: 'cp-is',
      childId,
      triggerEventKey,
      recipient: { organisation: council, agency: 'council' },
      route: 'responsible-council',
      details: {
        careStatuses,
        statusEvents,
        lookup: { at: lookup.data.lookedUpAt, organisation: lookup.data.lookedUpBy },
      },
    },
  };
}

/** Writes each look-up's notification as an intent, in the runner's transaction with its applied mark. */
export function cpIsLookupsProjection(
  schema: string,
  clock: Clock,
  hasWebhook: (organisation: string) => boolean,
): Projection {
  const applyMany = async (tx: PoolClient, events: readonly RecordedEvent[]): Promise<void> => {
    const lookups = events.filter((e) => isTyped(e, CP_IS_FLAG_LOOKED_UP));
    if (lookups.length === 0) return;
    // The intents are named unqualified: the notifications' schema first (the live one, or a test's).
    await tx.query(`SET LOCAL search_path TO "${schema}", public`);
    await NotificationCommands.intend(
      tx,
      lookups.map((lookup) => lookupIntentOf(lookup, hasWebhook)),
      clock.now(),
    );
  };
  return { name: 'cp-is-lookups', apply: (tx, event) => applyMany(tx, [event]), applyMany };
}

/**
 * The notifications' consumer of the view's topic `<prefix>hub.access`, as its own group
 * `<prefix>notifications-lookups`: a look-up carries all its notification says, so it waits for none of
 * the agency records the main group applies, nor behind them. Each look-up is applied once (marks in the
 * notifications' own schema) and its intent recorded on the notification's stream once the batch commits.
 */
@Injectable()
export class CpIsLookupsConsumer extends TopicConsumer {
  constructor(
    @Inject(PG_POOL) pool: Pool,
    @Inject(SERVICE_CONFIG) config: ServiceConfig & NotificationSettings,
    @Inject(NOTIFICATIONS_SCHEMA) schema: string,
    @Inject(CLOCK) clock: Clock,
    messaging: KafkaMessaging,
    schemas: SchemaRegistry,
    private readonly commands: NotificationCommands,
  ) {
    super(
      new ProjectionRunner(
        pool,
        schema,
        [cpIsLookupsProjection(schema, clock, hasWebhookIn(config))],
        schemas,
      ),
      messaging,
      config,
      {
        group: lookupsGroup,
        topic: accessTopic,
        context: 'notifications-lookups',
        consuming: 'consuming CP-IS flag look-ups',
      },
    );
  }

  /** The batch's intents are recorded on their notifications' streams once it has committed. */
  protected override afterBatch(): Promise<void> {
    return this.commands.recordCommitted(this.logger);
  }
}
