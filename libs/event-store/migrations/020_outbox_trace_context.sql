-- The W3C trace context of the append that wrote each outbox row, so the relay's span (and, through the
-- Kafka headers, the consumer's) continues the trace of the request that recorded the event.
-- NULL when tracing is off.
ALTER TABLE event_store.outbox ADD COLUMN traceparent text, ADD COLUMN tracestate text;
