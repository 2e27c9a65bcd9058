import type { Provider } from '@nestjs/common';
import { NOTIFICATIONS_SCHEMA_NAME } from '@jigsaw/view-model';
import { ChildHistoryReader } from './child-history.js';
import { CLOCK, systemClock } from './clock.js';
import { DeliveryDispatcher } from './delivery-dispatcher.js';
import { Escalator } from './escalator.js';
import { NotificationBackfill } from './notification-backfill.js';
import { NotificationCommands } from './notification-commands.js';
import { NotificationInbox } from './notification-inbox.js';
import { NotificationMetrics } from './notification-metrics.js';
import { NotificationScheduler } from './notification-scheduler.js';
import { NOTIFICATIONS_SCHEMA } from './notification-store.js';
import { NotificationsProjection } from './notifications.projection.js';

export { NotificationsController } from './notifications.controller.js';
export { NotificationsProjection } from './notifications.projection.js';

/** What the notifications service registers; the controller is NotificationsController. */
export const notificationProviders: Provider[] = [
  { provide: CLOCK, useValue: systemClock },
  { provide: NOTIFICATIONS_SCHEMA, useValue: NOTIFICATIONS_SCHEMA_NAME },
  ChildHistoryReader,
  NotificationCommands,
  NotificationBackfill,
  NotificationsProjection,
  Escalator,
  DeliveryDispatcher,
  NotificationScheduler,
  NotificationInbox,
  NotificationMetrics,
];
