import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Pool } from '@jigsaw/database';
import { PG_POOL } from '@jigsaw/platform';
import { registerLabelledGauge } from '@jigsaw/telemetry';
import { CLOCK, type Clock } from './clock.js';
import { NOTIFICATIONS_SCHEMA } from './notification-store.js';

/**
 * Notifications still to be acknowledged, by kind: due (deadline ahead) and overdue (deadline passed), read
 * on each scrape of /metrics. Counts only: no child, no organisation.
 */
@Injectable()
export class NotificationMetrics implements OnModuleInit {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(NOTIFICATIONS_SCHEMA) private readonly schema: string,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    registerLabelledGauge(
      'jigsaw_notifications_due',
      'Notifications not yet acknowledged whose deadline is still ahead',
      ['type'],
      () => this.count('>'),
    );
    registerLabelledGauge(
      'jigsaw_notifications_overdue',
      'Notifications not acknowledged by their deadline',
      ['type'],
      () => this.count('<='),
    );
  }

  private async count(comparison: '>' | '<='): Promise<[{ type: string }, number][]> {
    const { rows } = await this.pool.query<{ kind: string; n: number }>(
      `SELECT kind, count(*)::int AS n FROM "${this.schema}".notifications
       WHERE acknowledged_at IS NULL AND due_at IS NOT NULL AND due_at ${comparison} $1
       GROUP BY kind`,
      [this.clock.now()],
    );
    return rows.map((r) => [{ type: r.kind }, r.n]);
  }
}
