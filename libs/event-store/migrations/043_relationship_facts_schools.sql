-- jigsaw:no-transaction
-- The schools' records naming a school's URN, for the audit service's `storedRelationshipFacts` (041 has
-- the notifications raised about a child). 041 made this index too until each concurrent build had a file
-- of its own: a store that applied 041 then has it already, and this skips it. The record is `data` in
-- envelope v1 and `data.record` from v2.
CREATE INDEX CONCURRENTLY IF NOT EXISTS events_school_urn ON event_store.events
  ((coalesce(payload #>> '{data,record,school,urn}', payload #>> '{data,school,urn}')))
  WHERE type IN ('education.pupil-on-roll', 'education.key-adult-registered');
