-- OPD token allocation: the append-only event log (the truth) and its projections (sessions,
-- slots, tokens) that the desk reads. `loket opd replay --check` proves they agree.
CREATE TABLE opd_events (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    at         TEXT NOT NULL,
    desk_id    TEXT NOT NULL,
    clerk      TEXT NOT NULL,
    payload    TEXT NOT NULL
);
CREATE INDEX opd_events_session ON opd_events (session_id, seq);

CREATE TRIGGER opd_events_append_only_update BEFORE UPDATE ON opd_events
BEGIN SELECT RAISE(ABORT, 'opd_events is append-only'); END;
CREATE TRIGGER opd_events_append_only_delete BEFORE DELETE ON opd_events
BEGIN SELECT RAISE(ABORT, 'opd_events is append-only'); END;

CREATE TABLE opd_sessions (
    session_id   INTEGER PRIMARY KEY,
    doctor_code  TEXT NOT NULL,
    doctor_name  TEXT NOT NULL,
    poli_code    TEXT NOT NULL,
    date         TEXT NOT NULL,
    jam          TEXT NOT NULL,
    capacity     INTEGER NOT NULL,
    slot_minutes INTEGER NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX opd_sessions_date ON opd_sessions (date, poli_code, doctor_code);

CREATE TABLE opd_slots (
    slot_id    INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES opd_sessions (session_id),
    start_at   TEXT NOT NULL,
    end_at     TEXT NOT NULL,
    capacity   INTEGER NOT NULL,
    occupied   INTEGER NOT NULL,
    waitlisted INTEGER NOT NULL
);
CREATE INDEX opd_slots_session ON opd_slots (session_id);

CREATE TABLE opd_tokens (
    token_id          INTEGER PRIMARY KEY,
    session_id        INTEGER NOT NULL REFERENCES opd_sessions (session_id),
    slot_id           INTEGER NOT NULL REFERENCES opd_slots (slot_id),
    doctor_code       TEXT NOT NULL,
    date              TEXT NOT NULL,
    number            INTEGER NOT NULL,
    code              TEXT NOT NULL,
    source            TEXT NOT NULL,
    paid              INTEGER NOT NULL,
    jenis             TEXT NOT NULL,
    norm              TEXT,
    name              TEXT,
    status            TEXT NOT NULL,
    priority          INTEGER NOT NULL,
    requested_at      TEXT NOT NULL,
    position          INTEGER,
    waitlist_position INTEGER,
    UNIQUE (doctor_code, date, number)
);
CREATE INDEX opd_tokens_session ON opd_tokens (session_id);
