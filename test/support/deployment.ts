import { randomBytes } from 'node:crypto';
import { testBrokers, uniqueTopicPrefix, type TestDatabase } from '@jigsaw/testing';

/**
 * A service's settings as a deployment runs it: outside development mode, so with secrets of its own and
 * no development tokens, trusting only the identity providers in `issuers` (OIDC_ISSUERS entries).
 */
export function deploymentEnv(db: TestDatabase, topics: string, issuers: object[]): Record<string, string> {
  return {
    DATABASE_URL: db.url,
    KAFKA_BROKERS: testBrokers(),
    KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(topics),
    JIGSAW_DEVELOPMENT: 'false',
    IDENTIFIER_HMAC_SECRET: randomBytes(24).toString('base64'),
    ENCRYPTION_MASTER_KEY: randomBytes(32).toString('base64'),
    OIDC_ISSUERS: JSON.stringify(issuers),
  };
}
