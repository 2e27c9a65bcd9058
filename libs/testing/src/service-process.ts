import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from '@jigsaw/config';

export type ServiceName =
  'safeguarding-view' | 'council' | 'police' | 'health' | 'education' | 'audit' | 'notifications';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A built service running as its own process, as `npm start` runs it. */
export class ServiceProcess {
  readonly output: string[] = [];
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  private constructor(
    readonly name: ServiceName,
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly nodeArgs: readonly string[],
  ) {}

  /** `nodeArgs` go before the script, e.g. `--cpu-prof` to profile the service. */
  static async start(
    name: ServiceName,
    env: Record<string, string>,
    nodeArgs: readonly string[] = [],
    /** A port chosen beforehand (from `freePort`), when other services must be told it first. */
    port?: number,
  ): Promise<ServiceProcess> {
    const service = new ServiceProcess(name, port ?? (await freePort()), env, nodeArgs);
    await service.start();
    return service;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The exit code of the last run, null while it runs (or when a signal ended it). */
  get exitCode(): number | null {
    return this.child?.exitCode ?? null;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** `readyTimeoutMs`: longer where the machine is busy, e.g. a restart while brokers recover. */
  async start(readyTimeoutMs = 60_000): Promise<void> {
    const child = spawn(
      process.execPath,
      [...this.nodeArgs, join(repoRoot(), `dist/apps/${this.name}/src/main.js`)],
      {
        // Development mode unless a test says otherwise: the tests use the published development secrets.
        env: { ...process.env, JIGSAW_DEVELOPMENT: 'true', ...this.env, PORT: String(this.port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    await this.waitUntilReady(readyTimeoutMs);
  }

  private async waitUntilReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child?.exitCode !== null) break;
      try {
        const response = await fetch(`${this.url}/health/ready`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const output = this.output.join('').slice(-3000);
    // A service that never became ready must not outlive the test that started it.
    await this.stop('SIGKILL');
    throw new Error(`${this.name} did not become ready:\n${output}`);
  }

  /** SIGTERM for a clean stop; SIGKILL to test a crash. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (!this.child || this.child.exitCode !== null) return;
    this.child.kill(signal);
    await this.exited;
  }

  async restart(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.stop(signal);
    await this.start();
  }
}

/**
 * Starts several services side by side. If any fails to become ready, stops those that did before
 * failing, so no process outlives the test run.
 */
export async function startServices(
  env: Record<string, string>,
  ...names: ServiceName[]
): Promise<ServiceProcess[]> {
  const results = await Promise.allSettled(names.map((name) => ServiceProcess.start(name, env)));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (!failed) return results.map((r) => (r as PromiseFulfilledResult<ServiceProcess>).value);
  await Promise.all(results.map((r) => (r.status === 'fulfilled' ? r.value.stop() : Promise.resolve())));
  throw failed.reason;
}
