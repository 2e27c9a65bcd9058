import type { Provider } from '@nestjs/common';
import { publishingProviders } from '@jigsaw/platform';
import { accessTopic, CP_IS_FLAG_LOOKED_UP } from '@jigsaw/view-model';

/** The view's event store for appends some of whose events are published: the CP-IS flag look-ups. */
export const ACCESS_EVENT_STORE = Symbol('ACCESS_EVENT_STORE');

/**
 * Publishes the CP-IS flag look-ups on the view's topic `<prefix>hub.access` from the outbox rows their
 * append writes; the access records appended with them, and every other read, are not published. One
 * replica of the view leads; the others stand by.
 */
export const ACCESS_PUBLISHING: Provider[] = publishingProviders({
  owner: 'view',
  topic: (config) => accessTopic(config.KAFKA_TOPIC_PREFIX),
  streamPrefixes: ['access-'],
  store: ACCESS_EVENT_STORE,
  publishes: (event) => event.type === CP_IS_FLAG_LOOKED_UP,
});
