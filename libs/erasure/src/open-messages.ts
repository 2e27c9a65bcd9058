import { readStoredEvent, toCloudEvent } from '@jigsaw/envelope';
import { PoisonMessageError, type IncomingMessage, type RejectedMessage } from '@jigsaw/messaging';
import { isSealed, type ProtectedEvent } from './personal-data.js';
import { PersonalDataUnreadableError } from './personal-data-crypto.js';
import type { PersonalDataVault } from './personal-data-vault.js';

/**
 * Opens the sealed events of a Kafka batch before a consumer applies them: each comes back with its personal
 * data restored, or marked erased. Anything else (not JSON, not sealed) passes through untouched for the
 * consumer's own checks. Opened events go on as CloudEvents, as they came. A sealed event that fails its check is rejected with the reason, for the dead-letter
 * topic. Erasures in the batch are noted first, so nothing in it is opened with a key already destroyed.
 */
export async function openMessages(
  vault: PersonalDataVault,
  messages: readonly IncomingMessage[],
): Promise<{ messages: IncomingMessage[]; rejected: RejectedMessage[] }> {
  const parsed = messages.map((message): ProtectedEvent | undefined => {
    try {
      const value: unknown = JSON.parse(message.value?.toString('utf8') ?? '');
      return typeof value === 'object' && value !== null ? readStoredEvent(value) : undefined;
    } catch {
      return undefined;
    }
  });
  vault.noteErasures(parsed.filter((event): event is ProtectedEvent => event !== undefined));
  const sealed = parsed.filter((event): event is ProtectedEvent => event !== undefined && isSealed(event));
  const results = new Map(sealed.map((event, i) => [event, i]));
  const opened = await vault.openEach(sealed);
  const out: IncomingMessage[] = [];
  const rejected: RejectedMessage[] = [];
  for (const [i, message] of messages.entries()) {
    const event = parsed[i];
    const index = event ? results.get(event) : undefined;
    if (index === undefined) {
      out.push(message);
      continue;
    }
    const result = opened[index]!;
    if (result instanceof PersonalDataUnreadableError) {
      rejected.push({ message, error: new PoisonMessageError(result.message) });
    } else {
      out.push({ ...message, value: Buffer.from(JSON.stringify(toCloudEvent(result))) });
    }
  }
  return { messages: out, rejected };
}
