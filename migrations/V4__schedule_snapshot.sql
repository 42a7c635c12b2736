-- HFIS schedule snapshots (`jadwaldokter`): one row per practice shift of a doctor at a poli on
-- a date, as BPJS last reported it, with the OPD session the shift created or updated.
-- A refresh rewrites its poli-date rows in one transaction; `flag_reason` is set when the
-- shift could not be applied without harming issued tokens (capacity below what is issued, a
-- libur day with tokens), for the clerk to resolve. Tokens are never deleted.
CREATE TABLE schedule_snapshots (
    id              INTEGER PRIMARY KEY,
    poli_code       TEXT NOT NULL,
    poli_name       TEXT NOT NULL,
    subspesialis_code TEXT NOT NULL,
    subspesialis_name TEXT NOT NULL,
    doctor_code     TEXT NOT NULL,
    doctor_name     TEXT NOT NULL,
    -- WIB calendar date, YYYY-MM-DD.
    date            TEXT NOT NULL,
    -- HH:MM WIB.
    start_time      TEXT NOT NULL,
    end_time        TEXT NOT NULL,
    kapasitas       INTEGER NOT NULL CHECK (kapasitas >= 0),
    libur           INTEGER NOT NULL CHECK (libur IN (0, 1)),
    source          TEXT NOT NULL DEFAULT 'BPJS_HFIS',
    -- UTC, RFC 3339.
    fetched_at      TEXT NOT NULL,
    session_id      INTEGER REFERENCES opd_sessions (session_id),
    flag_reason     TEXT,
    flagged_at      TEXT,
    UNIQUE (poli_code, doctor_code, date, start_time)
) STRICT;
CREATE INDEX schedule_snapshots_date ON schedule_snapshots (date, poli_code);
CREATE INDEX schedule_snapshots_session ON schedule_snapshots (session_id);
