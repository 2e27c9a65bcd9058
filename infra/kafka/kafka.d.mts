export declare const LOCAL_BROKERS: string;
export interface KafkaBrokerOptions {
  log?: (message: string) => void;
  /** Client port; default 9092. */
  port?: number;
  /** KRaft controller port; default port + 1. */
  controllerPort?: number;
  /** Data, logs, pid file and classpath cache; default <repo>/.data/kafka. */
  dataDir?: string;
}
export declare function ensureKafka(options?: { log?: (message: string) => void }): Promise<string>;
export declare function startKafka(options?: KafkaBrokerOptions): Promise<string>;
export declare function stopKafka(options?: KafkaBrokerOptions): Promise<void>;
export declare function isKafkaReachable(
  brokers?: string,
  options?: { timeoutMs?: number },
): Promise<boolean>;
