import type { Contract } from '../../contract.js';

export const NOTIFICATION_RAISED = 'hub.notification-raised';

export const notificationRaised = {
  type: NOTIFICATION_RAISED,
  source: 'hub',
  schema: 'schemas/hub/notification-raised/v1.json',
  audience: null,
  personalData: [],
  // Notifications name the child by hub child id and the record they are about by its key, never its
  // content (their schemas refuse any other field). What they add is whom to tell: the school, the
  // practitioner it is addressed to, the council's team; and the hub's own account of a delivery.
  kept: [
    'details.school.name',
    'details.addressee.name',
    'details.addressee.role',
    'details.careStatuses.contact.team',
  ],
  label: null,
  view: null,
} satisfies Contract<typeof NOTIFICATION_RAISED>;
