-- The chronology's event keeps only what its columns and constants do not give back exactly
-- (libs/view-model/src/chronology/chronology-event.ts, whose compactEvent follows the same rule): not its
-- source, type or id (event_key is source|id), hub child id, recorded time, CloudEvents version or a
-- first-version dataschema. Rows written whole before are compacted here, so that a replay matches them.
UPDATE chronology SET event = (
  event::jsonb - array_remove(ARRAY[
    CASE WHEN event::jsonb -> 'specversion' = '"1.0"' THEN 'specversion' END,
    CASE WHEN event::jsonb -> 'source' = to_jsonb(source)
          AND event::jsonb -> 'id' = to_jsonb(substr(event_key, length(source) + 2))
          AND event_key = source || '|' || (event::jsonb ->> 'id') THEN 'source' END,
    CASE WHEN event::jsonb -> 'source' = to_jsonb(source)
          AND event::jsonb -> 'id' = to_jsonb(substr(event_key, length(source) + 2))
          AND event_key = source || '|' || (event::jsonb ->> 'id') THEN 'id' END,
    CASE WHEN event::jsonb -> 'type' = to_jsonb(type) THEN 'type' END,
    CASE WHEN event::jsonb -> 'type' = to_jsonb(type)
          AND event::jsonb -> 'dataschema' = to_jsonb('urn:jigsaw:schema:' || type || ':v1') THEN 'dataschema' END,
    CASE WHEN event::jsonb -> 'childid' = to_jsonb(child_id::text) THEN 'childid' END,
    CASE WHEN event::jsonb -> 'recordedtime'
          = to_jsonb(to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) THEN 'recordedtime' END
  ], NULL)
)::json;
