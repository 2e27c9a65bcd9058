-- Until the notifications' read models were their own, they lived in the view's schema, and the marks of
-- the notification events projected into them were kept in the view's applied_events. On a store made
-- then, this moves each table (its rows, indexes and constraints go with it) into the notifications'
-- schema, and the marks with them: the notification events are the hub's notifications source's, and
-- nothing else has that source. A store made since has none of these tables in the view's schema, and this
-- does nothing. It runs as the migrating login, which may act as both owners, and gives each table to the
-- owner of the notifications' schema, whose migrations run next.
DO $$
DECLARE
  moving text;
  owner text := (SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'notifications');
BEGIN
  FOREACH moving IN ARRAY ARRAY['notifications', 'notification_deliveries', 'notification_delivery_attempts',
                               'notification_intents', 'notification_schools'] LOOP
    IF to_regclass(format('view.%I', moving)) IS NOT NULL
       AND to_regclass(format('notifications.%I', moving)) IS NULL THEN
      EXECUTE format('ALTER TABLE view.%I SET SCHEMA notifications', moving);
      EXECUTE format('ALTER TABLE notifications.%I OWNER TO %s', moving, owner);
    END IF;
  END LOOP;
  IF to_regclass('view.applied_events') IS NOT NULL THEN
    WITH moved AS (
      DELETE FROM view.applied_events
       WHERE starts_with(event_key, 'urn:jigsaw:org:hub:notifications|')
      RETURNING event_key, applied_at
    )
    INSERT INTO notifications.applied_events (event_key, applied_at)
    SELECT event_key, applied_at FROM moved
    ON CONFLICT (event_key) DO NOTHING;
  END IF;
END $$;
