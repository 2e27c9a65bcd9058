import type { Contract } from '../../contract.js';

export const NOTIFICATION_DELIVERED = 'hub.notification-delivered';

export const notificationDelivered = {
  type: NOTIFICATION_DELIVERED,
  source: 'hub',
  schema: 'schemas/hub/notification-delivered/v1.json',
  audience: null,
  personalData: [],
  kept: [],
  label: null,
  view: null,
} satisfies Contract<typeof NOTIFICATION_DELIVERED>;
