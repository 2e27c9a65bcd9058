import type { INestApplication } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '@jigsaw/telemetry';

/**
 * Orchestrators send SIGTERM, then SIGKILL some seconds later (30 by default). A service stops within
 * SHUTDOWN_TIMEOUT_MS of the signal whatever Kafka and PostgreSQL are doing.
 */
export class ShutdownConfig {
  /** After the signal, readiness answers 503 and requests are still served, so a load balancer can notice. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(5_000)
  SHUTDOWN_DRAIN_MS = 1_000;

  /** From the signal to the process's exit at the latest, whatever is still running then. */
  @Type(() => Number)
  @IsInt()
  @Min(1_000)
  @Max(10_000)
  SHUTDOWN_TIMEOUT_MS = 7_000;
}

type Phase = 'running' | 'draining' | 'closing';
let phase: Phase = 'running';

/** True from the shutdown signal on: readiness answers 503. */
export function shuttingDown(): boolean {
  return phase !== 'running';
}

/** Once the drain is over, a request that still arrives (on a kept-alive connection) is refused. */
export function refuseWhenClosing(_req: Request, res: Response, next: NextFunction): void {
  if (phase !== 'closing') return next();
  res
    .status(503)
    .set({ connection: 'close', 'retry-after': '1', 'content-type': 'application/problem+json' })
    .send(
      JSON.stringify({
        type: 'about:blank',
        title: 'Service Unavailable',
        status: 503,
        detail: 'this instance is shutting down; retry and another will answer',
      }),
    );
}

export interface ShutdownHandle {
  /** The application, once made: until then a signal exits at once (there is nothing to finish). */
  attach(app: INestApplication): void;
}

/**
 * Installs SIGTERM and SIGINT handlers, before anything that may wait on Kafka or PostgreSQL. The first
 * signal turns readiness to 503, drains, closes the application (in-flight requests finish, consumers
 * and relays stop after what they have committed), and exits; a timer exits anyway at the deadline, and
 * the same signal again exits at once.
 */
export function handleShutdownSignals(logger: Logger, config: ShutdownConfig): ShutdownHandle {
  let app: INestApplication | undefined;
  const log = logger.child({ context: 'shutdown' });
  const exit = (code: number): never => process.exit(code);
  let first: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (first !== undefined) {
      // Ctrl-C under `npm start` brings SIGINT and the launcher's SIGTERM together: only a repeat hurries.
      if (signal !== first) return;
      log.warn({ signal }, 'second signal: exiting now');
      exit(1);
    }
    first = signal;
    phase = 'draining';
    const started = Date.now();
    if (!app) {
      log.info({ signal }, 'signal before the service was up: exiting');
      exit(0);
    }
    log.info({ signal }, 'shutting down');
    setTimeout(() => {
      log.error({ ms: Date.now() - started }, 'shutdown deadline reached: exiting with work unfinished');
      exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS).unref();
    void (async () => {
      await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DRAIN_MS));
      phase = 'closing';
      await app!.close();
      log.info({ ms: Date.now() - started }, 'stopped');
      exit(0);
    })().catch((error: unknown) => {
      log.error({ err: error }, 'shutdown failed');
      exit(1);
    });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return {
    attach: (made) => {
      app = made;
    },
  };
}
