-- Sinkronisasi: the dashboard sync jobs (configuration, editable), their run history, and the
-- link from synced bookings to the OPD tokens they became. The synced rows themselves live in
-- one table per job (`sync_*`), created from the job's configuration by the store.
CREATE TABLE sync_jobs (
    name       TEXT PRIMARY KEY,
    config     TEXT NOT NULL,
    enabled    INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE sync_runs (
    id          INTEGER PRIMARY KEY,
    job         TEXT NOT NULL,
    window_from TEXT NOT NULL,
    window_to   TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    -- running, ok, partial (count drifted or a page bound was hit), failed, cancelled.
    status      TEXT NOT NULL,
    pages_done  INTEGER NOT NULL DEFAULT 0,
    pages_total INTEGER NOT NULL DEFAULT 0,
    fetched     INTEGER NOT NULL DEFAULT 0,
    inserted    INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    unchanged   INTEGER NOT NULL DEFAULT 0,
    skipped     INTEGER NOT NULL DEFAULT 0,
    duplicates  INTEGER NOT NULL DEFAULT 0,
    -- JSON list of {page, index, reason} (at most 100).
    skipped_rows TEXT NOT NULL DEFAULT '[]',
    error       TEXT
) STRICT;
CREATE INDEX sync_runs_job ON sync_runs (job, id);

-- A booking (BOOKING_PASIEN.booking_id) and the online token it became.
CREATE TABLE booking_tokens (
    booking_id INTEGER PRIMARY KEY,
    token_id   INTEGER NOT NULL UNIQUE REFERENCES opd_tokens (token_id),
    session_id INTEGER NOT NULL REFERENCES opd_sessions (session_id),
    updated_at TEXT NOT NULL
) STRICT;
