-- The access events in the global order, so that a subscription to them (the view's inbox of
-- partnership-wide reads) reads only them, not every event after its place.
CREATE INDEX events_record_accessed_order ON event_store.events (transaction_id, global_position)
  WHERE type = 'hub.record-accessed';
