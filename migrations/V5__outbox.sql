-- The durable BPJS outbox, the patient details BPJS needs per token, and the quota alerts.
--
-- `opd_token_patients`: what the clerk entered for a token (card, NIK, phone, visit type,
-- referral, new patient), as JSON. Kept locally for BPJS; never written to a log.
CREATE TABLE opd_token_patients (
    token_id   INTEGER PRIMARY KEY REFERENCES opd_tokens (token_id),
    details    TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- One booking per token that BPJS must know (a token of a session from the HFIS snapshot):
-- the facts `antrean/add` reports, fixed at issue time.
CREATE TABLE outbox_bookings (
    token_id    INTEGER PRIMARY KEY REFERENCES opd_tokens (token_id),
    kodebooking TEXT NOT NULL UNIQUE,
    booking     TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;

-- One request to BPJS. Items of a booking go out in `seq` order; an item is `pending` until
-- BPJS accepts it (`sent`, 208 included) or refuses it (`failed`, which stops the booking's
-- chain until the clerk retries). A pending item with `missing` fields waits, incomplete.
-- Items are never deleted.
CREATE TABLE outbox_items (
    id              INTEGER PRIMARY KEY,
    token_id        INTEGER NOT NULL REFERENCES opd_tokens (token_id),
    kodebooking     TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    endpoint        TEXT NOT NULL,
    request         TEXT NOT NULL,
    missing         TEXT NOT NULL DEFAULT '[]',
    state           TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    -- UTC, RFC 3339; NULL = due now.
    next_attempt_at TEXT,
    last_message    TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    UNIQUE (kodebooking, seq)
) STRICT;
CREATE INDEX outbox_items_state ON outbox_items (state, kodebooking, seq);

CREATE TRIGGER outbox_items_keep BEFORE DELETE ON outbox_items
BEGIN SELECT RAISE(ABORT, 'outbox items are never deleted'); END;

-- The last alert level of each pool of a session from the snapshot, so that "pool full" is
-- notified once per transition and re-armed when a cancellation frees room.
CREATE TABLE quota_alert_state (
    session_id INTEGER PRIMARY KEY REFERENCES opd_sessions (session_id),
    jkn        TEXT NOT NULL,
    nonjkn     TEXT NOT NULL
) STRICT;

-- Banners for the clerk: a pool became full, a shift needs attention. Dismissing keeps the row.
CREATE TABLE desk_alerts (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    session_id   INTEGER,
    message      TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    dismissed_at TEXT
) STRICT;
CREATE INDEX desk_alerts_open ON desk_alerts (dismissed_at, id);
