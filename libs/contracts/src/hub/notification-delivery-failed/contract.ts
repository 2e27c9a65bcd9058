import type { Contract } from '../../contract.js';

export const NOTIFICATION_DELIVERY_FAILED = 'hub.notification-delivery-failed';

export const notificationDeliveryFailed = {
  type: NOTIFICATION_DELIVERY_FAILED,
  source: 'hub',
  schema: 'schemas/hub/notification-delivery-failed/v1.json',
  audience: null,
  personalData: [],
  kept: ['reason'],
  label: null,
  view: null,
} satisfies Contract<typeof NOTIFICATION_DELIVERY_FAILED>;
