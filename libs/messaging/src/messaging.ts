import type { PoisonMessageError } from './poison-message.error.js';

/** Our own small interface over the Kafka client, so kafkajs can be replaced without touching callers. */
export interface OutgoingMessage {
  topic: string;
  key: string;
  value: string;
  headers?: Record<string, string>;
}

export interface IncomingMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | undefined;
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface Publisher {
  /** Resolves once every message is acknowledged by all in-sync replicas. */
  publish(messages: readonly OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Handles one message. Resolve only after the handler's own transaction has committed: the offset is
 * committed after that, so a crash in between redelivers the message (handlers must be idempotent).
 * Throw a PoisonMessageError for a message that can never succeed; it goes to the dead-letter topic.
 */
export type MessageHandler = (message: IncomingMessage) => Promise<void>;

/** A poison message found in a batch, to be dead-lettered while the rest of the batch goes on. */
export interface RejectedMessage {
  message: IncomingMessage;
  error: PoisonMessageError;
}

/**
 * Handles a chunk of messages from one partition, in order, typically in one transaction. Resolve with
 * the messages that can never be processed; throw to have the whole chunk redelivered.
 */
export type BatchHandler = (messages: readonly IncomingMessage[]) => Promise<readonly RejectedMessage[]>;

export interface MessageConsumer {
  start(handler: MessageHandler): Promise<void>;
  startBatch(handler: BatchHandler): Promise<void>;
  stop(): Promise<void>;
  /** Messages behind the end of each partition, summed, as last seen. */
  readonly lag: number;
}
