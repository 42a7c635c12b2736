-- Fewer pages written per token issue (issue 3's benchmark), continuing V8. Nothing stored is
-- lost: only derived values and an index go.
--
-- 1. A token's position in its slot (and on its slot's waitlist) is no longer stored: it follows
--    from the token's slot and status and the fields the queue is ordered by (priority,
--    requested_at, number), and is computed where it is read. Storing it made a token issue
--    rewrite the row of every token it moved down a place. `loket opd replay --check` compares
--    the log's positions with the ones the stored rows give.
-- 2. The token numbers' unique index leads with the date: a day's tokens, whichever doctor,
--    go to the end of the index instead of into each doctor's part of it, so a token issue
--    splits index pages far less often.
-- The table is rebuilt for both (Store::migrate runs migrations with foreign keys off and checks
-- them afterwards, as SQLite documents for a table rebuild).
CREATE TABLE opd_tokens_v10 (
    token_id     INTEGER PRIMARY KEY,
    session_id   INTEGER NOT NULL REFERENCES opd_sessions (session_id),
    slot_id      INTEGER NOT NULL REFERENCES opd_slots (slot_id),
    doctor_code  TEXT NOT NULL,
    date         TEXT NOT NULL,
    number       INTEGER NOT NULL,
    code         TEXT NOT NULL,
    source       TEXT NOT NULL,
    paid         INTEGER NOT NULL,
    jenis        TEXT NOT NULL,
    norm         TEXT,
    name         TEXT,
    status       TEXT NOT NULL,
    priority     INTEGER NOT NULL,
    requested_at TEXT NOT NULL,
    UNIQUE (date, doctor_code, number)
);
INSERT INTO opd_tokens_v10 (token_id, session_id, slot_id, doctor_code, date, number, code, source, paid, jenis,
                            norm, name, status, priority, requested_at)
    SELECT token_id, session_id, slot_id, doctor_code, date, number, code, source, paid, jenis,
           norm, name, status, priority, requested_at
      FROM opd_tokens ORDER BY token_id;
DROP TABLE opd_tokens;
ALTER TABLE opd_tokens_v10 RENAME TO opd_tokens;

-- 3. The log loses its index by session: a session's events are read by a rowid range scan from
--    its first event (`opd_sessions.first_seq`, its `session_created`), and a desk's cached
--    session is checked against the log's newest event. A command writes one b-tree fewer.
ALTER TABLE opd_sessions ADD COLUMN first_seq INTEGER NOT NULL DEFAULT 0;
UPDATE opd_sessions
   SET first_seq = coalesce((SELECT min(e.seq) FROM opd_events e WHERE e.session_id = opd_sessions.session_id), 0);
DROP INDEX opd_events_session;
