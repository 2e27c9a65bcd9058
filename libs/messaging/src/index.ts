export { KafkaMessaging, type KafkaMessagingOptions } from './kafka-messaging.js';
export type {
  IncomingMessage,
  MessageConsumer,
  MessageHandler,
  OutgoingMessage,
  Publisher,
} from './messaging.js';
export { PoisonMessageError } from './poison-message.error.js';
export { agencyTopic, deadLetterTopic } from './topics.js';
