import type { Pool, PoolClient } from '@jigsaw/database';

export interface LeaderLoopOptions {
  /** Names the advisory lock: of all the loops of one name, on any replica, one leads at a time. */
  lockName: string;
  /** How long a standby waits before it asks for the lock again. */
  standbyIntervalMs: number;
  /** After the leader's work fails, how long it waits, without the lock, before it asks again. */
  errorPauseMs: number;
  /** Told of each failure of the work, unless the loop was stopping. */
  onError?: (error: unknown) => void;
}

/**
 * The leadership of a publisher of the store (the outbox relay, the KurrentDB publisher): on a session of
 * its own it asks for a PostgreSQL advisory lock; while it holds it, it leads, running `lead` on that
 * session until stopped or until the work fails; otherwise it waits as a standby. The lock lives with the
 * session, so a leader whose database restarts loses it with its session, and a leader whose work fails
 * lets it go before it pauses, so a standby can take over from a failing one.
 */
export class LeaderLoop {
  private stopping = false;
  private running: Promise<void> | undefined;
  private wake_: (() => void) | undefined;
  private woken = false;

  constructor(
    private readonly pool: Pool,
    private readonly options: LeaderLoopOptions,
    /** The leader's work, on the session holding the lock; it returns once `stopped`, or throws. */
    private readonly lead: (session: PoolClient) => Promise<void>,
  ) {}

  get stopped(): boolean {
    return this.stopping;
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Ends a wait now; woken while working, the next wait ends at once. */
  wake(): void {
    this.woken = true;
    this.wake_?.();
  }

  /**
   * Stops asking and leading, and resolves once the work in flight has ended, or after `timeoutMs` at most:
   * work cut off is the session's, rolled back with it.
   */
  async stop(timeoutMs?: number): Promise<void> {
    this.stopping = true;
    this.wake_?.();
    if (timeoutMs === undefined) {
      await this.running;
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.running, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  /** Waits `ms`, or until woken or stopped. */
  idle(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake_ = done;
    }).then(() => {
      this.wake_ = undefined;
    });
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let session: PoolClient | undefined;
      let failed = false;
      try {
        session = await this.pool.connect();
        const lock = await session.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [
          this.options.lockName,
        ]);
        if (!lock.rows[0]?.ok) {
          session.release();
          session = undefined;
          await this.idle(this.options.standbyIntervalMs);
          continue;
        }
        await this.lead(session);
      } catch (error) {
        if (!this.stopping) {
          this.options.onError?.(error);
          failed = true;
        }
      } finally {
        if (session) {
          await session.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
          session.release(true);
        }
      }
      // The pause comes after the lock is let go, so a standby can lead while this replica is failing.
      if (failed) await this.idle(this.options.errorPauseMs);
    }
  }
}
