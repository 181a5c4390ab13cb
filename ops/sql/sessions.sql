-- The sessions that keep an Aurora MySQL writer awake: every connection but this one and Aurora's
-- own (rdsadmin health checks are not counted as activity; Aurora User Guide, "Scaling to Zero
-- ACUs with automatic pause and resume for Aurora Serverless v2").
SELECT id, user, host, db, command, time, state
FROM information_schema.processlist
WHERE id <> CONNECTION_ID()
  AND user NOT IN ('rdsadmin', 'event_scheduler', 'system user')
ORDER BY time DESC, id
