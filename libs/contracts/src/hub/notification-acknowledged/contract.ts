import type { Contract } from '../../contract.js';

export const NOTIFICATION_ACKNOWLEDGED = 'hub.notification-acknowledged';

export const notificationAcknowledged = {
  type: NOTIFICATION_ACKNOWLEDGED,
  source: 'hub',
  schema: 'schemas/hub/notification-acknowledged/v1.json',
  audience: null,
  personalData: [],
  kept: ['acknowledgedBy.sub', 'acknowledgedBy.role'],
  label: null,
  view: null,
} satisfies Contract<typeof NOTIFICATION_ACKNOWLEDGED>;
