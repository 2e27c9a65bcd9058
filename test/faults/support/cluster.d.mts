export interface FaultCluster {
  runDir: string;
  kafkaPort: number;
  postgresPort: number;
}
export declare function faultCluster(): FaultCluster;
export declare function freePortPair(): Promise<number>;
export declare function startFaultKafka(cluster?: FaultCluster): Promise<string>;
export declare function stopFaultKafka(cluster?: FaultCluster): Promise<void>;
export declare function faultDatabaseServerUrl(cluster?: FaultCluster): string;
export declare function startFaultPostgres(cluster?: FaultCluster): Promise<string>;
export declare function stopFaultPostgres(mode?: 'fast' | 'immediate', cluster?: FaultCluster): Promise<void>;
export declare function waitForPostgres(url: string, timeoutMs: number): Promise<void>;
