export declare const LOCAL_BROKERS: string;
export declare function ensureKafka(options?: { log?: (message: string) => void }): Promise<string>;
export declare function stopKafka(options?: { log?: (message: string) => void }): Promise<void>;
export declare function isKafkaReachable(
  brokers?: string,
  options?: { timeoutMs?: number },
): Promise<boolean>;
