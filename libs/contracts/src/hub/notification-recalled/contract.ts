import type { Contract } from '../../contract.js';

export const NOTIFICATION_RECALLED = 'hub.notification-recalled';

export const notificationRecalled = {
  type: NOTIFICATION_RECALLED,
  source: 'hub',
  schema: 'schemas/hub/notification-recalled/v1.json',
  audience: null,
  personalData: [],
  kept: [],
  label: null,
  view: null,
} satisfies Contract<typeof NOTIFICATION_RECALLED>;
