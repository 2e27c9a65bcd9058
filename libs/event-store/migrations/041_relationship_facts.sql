-- What a child's relationships are folded from besides its records, found in the store itself (the audit
-- service's `storedRelationshipFacts`) rather than in the notifications' read models: the notifications
-- raised about a child, and the schools' records naming a school's URN. The record is `data` in envelope
-- v1 and `data.record` from v2.
CREATE INDEX events_notified_child ON event_store.events
  ((coalesce(payload #>> '{data,record,childId}', payload #>> '{data,childId}')))
  WHERE type = 'hub.notification-raised';
CREATE INDEX events_school_urn ON event_store.events
  ((coalesce(payload #>> '{data,record,school,urn}', payload #>> '{data,school,urn}')))
  WHERE type IN ('education.pupil-on-roll', 'education.key-adult-registered');
