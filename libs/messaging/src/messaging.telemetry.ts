import { logLevel, type logCreator } from 'kafkajs';
import { counter, registerLabelledGauge, rootLogger } from '@jigsaw/telemetry';

/** What a consumer reports of its lag: messages behind each partition's end, by topic, as last seen. */
export interface LagSource {
  group: string;
  lagByTopic(): Map<string, number>;
}

const lagSources = new Set<LagSource>();

registerLabelledGauge(
  'jigsaw_consumer_lag_messages',
  "Messages not yet consumed, by consumer group and topic, as of each group's last fetch",
  ['group', 'topic'],
  () =>
    [...lagSources].flatMap((source) =>
      [...source.lagByTopic()].map(([topic, lag]) => [{ group: source.group, topic }, lag] as const),
    ),
);

/** Reports a running consumer's lag on /metrics until it stops. */
export function reportLag(source: LagSource): () => void {
  lagSources.add(source);
  return () => lagSources.delete(source);
}

export const deadLettered = counter({
  name: 'jigsaw_dead_letters_total',
  help: 'Messages sent to the dead-letter topic, by error code',
  labelNames: ['code'],
});

const LEVELS = {
  [logLevel.NOTHING]: 'silent',
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
} as const;

/** kafkajs's lines through the service's JSON logger: its context, never message contents or stacks. */
export const kafkaLogCreator: logCreator = () => {
  const logger = rootLogger().child({ context: 'kafkajs' });
  return ({ namespace, level, log }) => {
    const { message, broker, clientId, groupId, topic, partition, error, retryCount } = log as Record<
      string,
      unknown
    >;
    const fields = Object.fromEntries(
      Object.entries({ namespace, broker, clientId, groupId, topic, partition, error, retryCount }).filter(
        ([, v]) => v !== undefined,
      ),
    );
    const name = LEVELS[level];
    if (name !== 'silent') logger[name](fields, String(message));
  };
};
