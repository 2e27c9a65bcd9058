-- jigsaw:no-transaction
-- What a child's relationships are folded from besides its records, found in the store itself (the audit
-- service's `storedRelationshipFacts`) rather than in the notifications' read models: the notifications
-- raised about a child, and (043) the schools' records naming a school's URN. The record is `data` in
-- envelope v1 and `data.record` from v2. Built concurrently: appends go on while it builds.
CREATE INDEX CONCURRENTLY IF NOT EXISTS events_notified_child ON event_store.events
  ((coalesce(payload #>> '{data,record,childId}', payload #>> '{data,childId}')))
  WHERE type = 'hub.notification-raised';
