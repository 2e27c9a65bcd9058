import type { Contract } from '../../contract.js';

export const NOTIFICATION_ESCALATED = 'hub.notification-escalated';

export const notificationEscalated = {
  type: NOTIFICATION_ESCALATED,
  source: 'hub',
  schema: 'schemas/hub/notification-escalated/v1.json',
  audience: null,
  personalData: [],
  kept: [],
  label: null,
  view: null,
} satisfies Contract<typeof NOTIFICATION_ESCALATED>;
