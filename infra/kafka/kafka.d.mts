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
/** Runs one of Kafka's own command-line tools (a main class of the kafka-tools jar); resolves with its output. */
export declare function kafkaTool(
  mainClass: string,
  args: readonly string[],
  options?: KafkaBrokerOptions,
): Promise<string>;
export declare const CLUSTER_SIZE: number;
export interface KafkaClusterOptions {
  log?: (message: string) => void;
  /** Brokers on basePort, +1, +2; controllers on basePort + 3, +4, +5; default 9192. */
  basePort?: number;
  /** Each node's data under <dataDir>/node-<id>; default <repo>/.data/kafka-cluster. */
  dataDir?: string;
}
export interface KafkaClusterNode {
  nodeId: number;
  port: number;
  controllerPort: number;
  dataDir: string;
}
export declare function clusterNodes(options?: KafkaClusterOptions): KafkaClusterNode[];
export declare function startKafkaCluster(options?: KafkaClusterOptions): Promise<string>;
export declare function stopKafkaCluster(options?: KafkaClusterOptions): Promise<void>;
export declare function startKafkaNode(nodeId: number, options?: KafkaClusterOptions): Promise<string>;
export declare function stopKafkaNode(
  nodeId: number,
  options?: KafkaClusterOptions & { signal?: 'SIGTERM' | 'SIGKILL' },
): Promise<void>;
