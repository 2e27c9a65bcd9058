-- jigsaw:no-transaction
-- The access events in the global order, so that a subscription to them (the view's inbox of
-- partnership-wide reads) reads only them, not every event after its place. Built concurrently: appends go
-- on while it builds.
CREATE INDEX CONCURRENTLY IF NOT EXISTS events_record_accessed_order
  ON event_store.events (transaction_id, global_position) WHERE type = 'hub.record-accessed';
