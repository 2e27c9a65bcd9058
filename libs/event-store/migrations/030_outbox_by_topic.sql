-- Each owner's relay reads only its own topics' rows, in id order.
CREATE INDEX outbox_topic_id ON event_store.outbox (topic, id);
