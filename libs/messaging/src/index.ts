export { KafkaMessaging, type KafkaMessagingOptions } from './kafka-messaging.js';
export type {
  BatchHandler,
  IncomingMessage,
  MessageConsumer,
  MessageHandler,
  OutgoingMessage,
  Publisher,
  RejectedMessage,
} from './messaging.js';
export { PoisonMessageError } from './poison-message.error.js';
export { agencyTopic, deadLetterTopic } from './topics.js';
