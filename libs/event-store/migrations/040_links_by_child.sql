-- jigsaw:no-transaction
-- Identity's link events by the hub child ids they join, so a reader follows a child's links in the store
-- itself (libs/identity `StoredLinks`) rather than in another owner's read model of them. A pair's events
-- are on the smaller id's stream: by stream alone the larger id would not find them. The record is `data`
-- in envelope v1 and `data.record` from v2. Built concurrently: appends go on while it builds.
CREATE INDEX CONCURRENTLY IF NOT EXISTS events_links_by_child ON event_store.events
  USING gin ((ARRAY[coalesce(payload #>> '{data,record,childId}', payload #>> '{data,childId}'),
                    coalesce(payload #>> '{data,record,linkedId}', payload #>> '{data,linkedId}')]))
  WHERE type IN ('hub.children-merged', 'hub.unborn-linked', 'hub.children-split');
