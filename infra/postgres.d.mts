export declare function ensurePostgres(options?: { database?: string }): Promise<string>;
export declare function createDatabase(connectionString: string): Promise<void>;
