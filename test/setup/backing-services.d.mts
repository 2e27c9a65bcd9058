export type Source = 'configured' | 'docker' | 'local' | 'none';

export interface Plan {
  kafka: Exclude<Source, 'none'>;
  postgres: Exclude<Source, 'none'>;
  kurrentdb: Exclude<Source, 'local'>;
}

export declare const IMAGES: { kafka: string; postgres: string; kurrentdb: string };
export declare function plan(env: NodeJS.ProcessEnv, docker: boolean): Plan;
export declare function dockerEngine(
  timeoutMs?: number,
): Promise<{ answers: true } | { answers: false; why: string }>;
export declare function kurrentDbSkipReason(dockerWhy: string): string;
export declare function stopContainers(): Promise<void>;
export declare function startKafka(): Promise<string>;
export declare function startPostgres(): Promise<string>;
export declare function startKurrentDb(): Promise<string>;
