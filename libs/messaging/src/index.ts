export {
  DEFAULT_TOPIC_SETTINGS,
  KafkaMessaging,
  mismatches,
  type KafkaMessagingOptions,
  type TopicMismatch,
  type TopicSettings,
} from './kafka-messaging.js';
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
