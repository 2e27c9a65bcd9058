export declare function runProcesses(runDir: string, except?: number[]): number[];
export declare function sweep(runDir: string, except?: number[]): Promise<number[]>;
export declare function startReaper(parentPid: number, runDir: string): void;
