import {
  Inject,
  Injectable,
  Logger,
  type InjectionToken,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import type { KurrentDBClient } from '@kurrent/kurrentdb-client';
import type { ServiceConfig } from '@jigsaw/config';
import type { Pool } from '@jigsaw/database';
import type { RecordedEvent } from '@jigsaw/envelope';
import { KurrentDbPublisher, OutboxRelay } from '@jigsaw/event-store';
import { KafkaMessaging, type Publisher } from '@jigsaw/messaging';
import { createEventStore } from './event-store.js';
import { KURRENTDB_CLIENT, PG_POOL, SERVICE_CONFIG } from './tokens.js';

/** Whose events a process publishes, and where. */
export interface PublishingOptions {
  /** The owner (`police`, `identity`, `erasure`): names the log lines and the KurrentDB publisher's checkpoint. */
  owner: string;
  /** The owner's topic; the relay publishes the outbox rows routed to it, and no others. */
  topic: (config: ServiceConfig) => string;
  /**
   * The owner's streams, which its KurrentDB publisher follows in `$all` when the store is KurrentDB.
   * Without them the owner publishes from the PostgreSQL outbox only.
   */
  streamPrefixes?: readonly string[];
  /**
   * Provides the owner's event store under this token: each append routed to the owner's topic, keyed by the
   * pseudonymous hub child id, and waking the relay.
   */
  store?: InjectionToken;
  /** Which of the store's events go to the topic (every one without it); the others are stored only. */
  publishes?: (event: RecordedEvent) => boolean;
}

const PUBLISHER = Symbol('PUBLISHER');

/**
 * Starts whichever publishes the owner's events (the KurrentDB publisher when the store is KurrentDB, the
 * outbox relay otherwise) and stops it, then its Kafka producer, at shutdown. One replica of an owner leads
 * (an advisory lock named after its topic); the others stand by.
 */
@Injectable()
class OwnerPublishing implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly relay: OutboxRelay,
    @Inject(KurrentDbPublisher) private readonly kurrentdb: KurrentDbPublisher | null,
    @Inject(PUBLISHER) private readonly publisher: Publisher,
  ) {}

  onApplicationBootstrap(): void {
    (this.kurrentdb ?? this.relay).start();
  }

  async onApplicationShutdown(): Promise<void> {
    await (this.kurrentdb ?? this.relay).stop();
    await this.publisher.close();
  }
}

/**
 * The providers that publish one owner's events: its outbox relay (`OutboxRelay`), its KurrentDB publisher
 * (`KurrentDbPublisher`, null unless the store is KurrentDB), their lifecycle and, with `store`, its event
 * store. Each module that owns events includes them once.
 */
export function publishingProviders(options: PublishingOptions): Provider[] {
  const logger = new Logger(`${options.owner}-publishing`);
  const paused = (error: unknown): void => logger.warn(`publishing paused: ${(error as Error).message}`);
  const providers: Provider[] = [
    {
      provide: PUBLISHER,
      inject: [KafkaMessaging],
      useFactory: (messaging: KafkaMessaging): Publisher => messaging.publisher(),
    },
    {
      provide: OutboxRelay,
      inject: [PG_POOL, PUBLISHER, SERVICE_CONFIG],
      useFactory: (pool: Pool, publisher: Publisher, config: ServiceConfig) =>
        new OutboxRelay(pool, publisher, { topics: [options.topic(config)], onError: paused }),
    },
    {
      provide: KurrentDbPublisher,
      inject: [PG_POOL, PUBLISHER, KURRENTDB_CLIENT],
      useFactory: (pool: Pool, publisher: Publisher, kurrentdb: KurrentDBClient | null) =>
        kurrentdb && options.streamPrefixes
          ? new KurrentDbPublisher(kurrentdb, pool, publisher, {
              name: options.owner,
              streamPrefixes: options.streamPrefixes,
              onError: paused,
            })
          : null,
    },
    OwnerPublishing,
  ];
  if (options.store) {
    providers.push({
      provide: options.store,
      inject: [PG_POOL, SERVICE_CONFIG, OutboxRelay, KURRENTDB_CLIENT],
      useFactory: (
        pool: Pool,
        config: ServiceConfig,
        relay: OutboxRelay,
        kurrentdb: KurrentDBClient | null,
      ) =>
        createEventStore(config, pool, kurrentdb, {
          afterAppend: () => relay.wake(),
          route: (event) =>
            (options.publishes?.(event) ?? true)
              ? { topic: options.topic(config), key: event.childid }
              : undefined,
        }),
    });
  }
  return providers;
}
