import { AGENCIES } from '@jigsaw/envelope';
import {
  agencyTopic,
  deadLetterTopic,
  type IncomingMessage,
  type KafkaMessaging,
  type MessageConsumer,
  type RejectedMessage,
} from '@jigsaw/messaging';
import { erasureTopic } from './child-erased.event.js';
import { openMessages } from './open-messages.js';
import type { PersonalDataVault } from './personal-data-vault.js';

/** The topics a projection of the agencies' records reads: each agency's, and erasures, which reach them all. */
export function recordTopics(prefix: string): string[] {
  return [...AGENCIES.map((agency) => agencyTopic(prefix, agency)), erasureTopic(prefix)];
}

/**
 * Consumes the record topics in batches as the group `<prefix><group>`, opening each batch's sealed
 * personal data (or marking it erased) before `apply` sees it; offsets commit once `apply` resolves, and
 * what it or the opening rejects goes to the dead-letter topic.
 */
export async function consumeRecords(
  messaging: KafkaMessaging,
  vault: PersonalDataVault,
  options: { prefix: string; group: string },
  apply: (messages: IncomingMessage[]) => Promise<RejectedMessage[]>,
): Promise<MessageConsumer> {
  const consumer = messaging.consumer({
    groupId: `${options.prefix}${options.group}`,
    topics: recordTopics(options.prefix),
    deadLetterTopic: deadLetterTopic(options.prefix),
  });
  await consumer.startBatch(async (messages) => {
    const opened = await openMessages(vault, messages);
    return [...opened.rejected, ...(await apply(opened.messages))];
  });
  return consumer;
}
