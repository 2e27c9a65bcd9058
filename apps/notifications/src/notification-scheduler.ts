import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { SERVICE_CONFIG } from '@jigsaw/platform';
import { DeliveryDispatcher } from './delivery-dispatcher.js';
import { Escalator } from './escalator.js';
import { NotificationCommands } from './notification-commands.js';
import type { NotificationSettings } from './notifications.config.js';

/**
 * The notifications' clockwork: each tick records every waiting intent, escalates what fell due and
 * attempts the deliveries due. The service ticks every NOTIFICATION_TICK_MS; tests call `tick()` with the clock where they want it.
 */
@Injectable()
export class NotificationScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('notification-scheduler');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly settings: NotificationSettings,
    private readonly escalator: Escalator,
    private readonly dispatcher: DeliveryDispatcher,
    private readonly commands: NotificationCommands,
  ) {}

  /**
   * One round: what the projection decided and did not record yet (a crash in between), then escalations,
   * then deliveries, so that a notification's or an escalation's delivery goes out in the same round.
   */
  async tick(): Promise<{ recorded: number; escalated: number; attempted: number }> {
    const recorded = await this.commands.recordAllIntents();
    const escalated = await this.escalator.escalateOverdue();
    const attempted = await this.dispatcher.dispatchDue();
    return { recorded, escalated, attempted };
  }

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .catch((error: unknown) => this.logger.error(`tick failed: ${(error as Error).message}`))
        .finally(() => this.schedule());
    }, this.settings.NOTIFICATION_TICK_MS);
  }
}
