-- Sinkronisasi: a job runs its whole window on its schedule and, between those, a shorter
-- incremental window on a second schedule (bookings: weekly on Monday 00:00 WIB and every day
-- for yesterday and today). The run history says which kind each run was: `full`,
-- `incremental`, or `manual` (dates the clerk chose). Runs before V9 count as full.
ALTER TABLE sync_runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'full'
    CHECK (kind IN ('full', 'incremental', 'manual'));

-- BOOKING_PASIEN still on the schedule Loket shipped before (every 15 minutes) moves to the new
-- default; a schedule the admin chose is left as it is.
UPDATE sync_jobs
SET config = json_set(
        config,
        '$.schedule', json('{"kind":"weekly","day":"senin","hour":0,"minute":0}'),
        '$.incremental', json('{"schedule":{"kind":"daily","hour":0,"minute":0},"days":{"back":1,"forward":0}}')
    )
WHERE name = 'BOOKING_PASIEN'
  AND json_extract(config, '$.schedule.kind') = 'every'
  AND json_extract(config, '$.schedule.minutes') = 15;
