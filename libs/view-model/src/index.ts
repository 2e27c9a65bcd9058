// What the safeguarding view and the audit service both read and write: the access log's events, access
// claims, how a child reference is resolved, identity links, the chronology read model, and the registry of
// read models that the live consumer and the audit service's rebuild share.
export {
  accessRecord,
  accessStreamOf,
  HUB_CHILD_ID_SYSTEM,
  readerOf,
  RECORD_ACCESSED,
  recordAccessed,
  type AccessView,
  type ChildLookup,
  type RecordAccessedData,
  type ShownRecord,
} from './access/record-accessed.event.js';
export { AccessLog } from './access/access-log.js';
export {
  accessTopic,
  CP_IS_FLAG_LOOKED_UP,
  cpIsFlagLookedUp,
  type CpIsFlagLookedUpData,
} from './access/cp-is-flag-looked-up.event.js';
export {
  accessClaimed,
  accessClaimsStreamOf,
  claimOf,
  SELF_CLAIMED_ACCESS_HOURS,
  type AccessClaimedData,
} from './children/access-claimed.event.js';
export { ChildRefResolver, childIdentifierOf, resolveChildRef, retiredNumber } from './children/child-ref.js';
export {
  chronologyFor,
  ledgerOf,
  toEntry,
  visibleRecords,
  type ChronologyEntry,
  type ChronologyRow,
  type VisibleRecord,
} from './chronology/chronology-view.js';
export { chronologyProjection, occurredAtOf } from './chronology/chronology.projection.js';
export {
  compactEvent,
  EVENT_COLUMNS,
  fullEvent,
  type ChronologyColumns,
  type CompactEvent,
  type StoredChronologyRow,
} from './chronology/chronology-event.js';
export { TYPE_LABELS } from './chronology/entry-summary.js';
export { ChildLinks, membersOn, membersOnMany } from './identity/child-links.js';
export {
  isAgencyRecord,
  liveReadModelMigrations,
  readModelMigrations,
  NOTIFICATION_READ_MODELS,
  READ_MODEL_OWNERS,
  readModelProjections,
  VIEW_READ_MODELS,
  type ReadModel,
  type ReadModelContext,
  type ReadModelOwner,
  type ReadModelTable,
} from './read-models.js';
export { VIEW_SCHEMA, viewMigrations } from './view-schema.js';
export {
  liveNotificationsMigrations,
  NOTIFICATIONS_SCHEMA_NAME,
  notificationsMigrations,
} from './notifications/notifications-schema.js';
export {
  relationshipsFrom,
  relationshipsOf,
  storedRelationshipFacts,
  type RelationshipFacts,
} from './children/relationship-facts.js';
export { accessClaimsProjection } from './children/access-claims.projection.js';
export {
  isPartnershipRead,
  partnershipReadsProjection,
  partnershipReadsReportedTo,
  type PartnershipReadView,
} from './access/partnership-reads.projection.js';
export { PartnershipReadsSubscription } from './access/partnership-reads.subscription.js';
export {
  REVIEW_CLOSED,
  REVIEW_OPENED,
  reviewClosed,
  reviewOpened,
  reviewsOf,
  reviewsStreamOf,
  type ReviewClosedData,
  type ReviewOpenedData,
} from './reviews/review.events.js';
export {
  NOTIFICATION_KINDS,
  NOTIFICATION_STATUSES,
  ROUTES,
  statusOf,
  type Acknowledger,
  type Addressee,
  type CareStatusSummary,
  type EscalationOutcome,
  type NewNotification,
  type NotificationDetails,
  type NotificationKind,
  type NotificationRecord,
  type NotificationStatus,
  type Route,
  type School,
} from './notifications/notification.js';
export {
  isNotificationEvent,
  NOTIFICATION_ACKNOWLEDGED,
  NOTIFICATION_DELIVERED,
  NOTIFICATION_DELIVERY_FAILED,
  NOTIFICATION_ESCALATED,
  NOTIFICATION_EVENT_TYPES,
  NOTIFICATION_RAISED,
  NOTIFICATION_RECALLED,
  notificationEvent,
  NOTIFICATIONS_SOURCE,
  notificationStreamOf,
  type DeliveryKind,
  type NotificationAcknowledgedData,
  type NotificationDeliveredData,
  type NotificationDeliveryFailedData,
  type NotificationEscalatedData,
  type NotificationEvent,
  type NotificationEventType,
  type NotificationRaisedData,
  type NotificationRecalledData,
} from './notifications/notification.events.js';
export {
  decideNotification,
  evolveNotification,
  foldNotification,
  initialNotificationState,
  notificationDecider,
  NotificationRefused,
  type DeliveryState,
  type NotificationCommand,
  type NotificationState,
} from './notifications/notification.decider.js';
export { notificationAsKnownAt, type NotificationHistory } from './notifications/notification-history.js';
export { notificationsReadModelProjection } from './notifications/notifications.projection.js';
export { ChildHistory, type Queryable, type Standing } from './notifications/child-history.js';
export {
  CARE_STATUS_TYPES,
  careStatuses,
  MONTHS_SHOWN_AFTER_END,
  standingOn,
  type CareStatus,
} from './notifications/care-status.js';
export { intendNotifications, type NotificationIntent } from './notifications/notification-intents.js';
export {
  addDays,
  isIsoDate,
  londonDateOf,
  londonInstant,
  londonTimeOf,
  parseHolidays,
  SCHOOL_DAY_STARTS,
  SCHOOL_TIME_ZONE,
  SchoolCalendar,
  weekdayOf,
  type Holiday,
} from './notifications/school-calendar.js';
