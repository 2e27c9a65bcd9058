import type { Provider } from '@nestjs/common';
import { erasureTopic } from '@jigsaw/erasure';
import { publishingProviders } from '@jigsaw/platform';

/**
 * Publishes the erasures that the audit service and CLI store (hub.child-erased), so that every live read
 * model forgets the child. One replica of the audit service leads; the others stand by. The erasure
 * streams are written by the personal-data vault's own PostgreSQL store, so they publish from its outbox.
 */
export const ERASURE_PUBLISHING: Provider[] = publishingProviders({
  owner: 'erasure',
  topic: (config) => erasureTopic(config.KAFKA_TOPIC_PREFIX),
});
