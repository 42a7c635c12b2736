-- Desk settings (normalised values) and their append-only change history.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY NOT NULL,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    desk_id    TEXT NOT NULL,
    clerk      TEXT NOT NULL
) STRICT;

CREATE TABLE settings_changes (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    key        TEXT NOT NULL,
    old_value  TEXT,
    new_value  TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    desk_id    TEXT NOT NULL,
    clerk      TEXT NOT NULL
);

CREATE TRIGGER settings_changes_append_only_update BEFORE UPDATE ON settings_changes
BEGIN SELECT RAISE(ABORT, 'settings_changes is append-only'); END;
CREATE TRIGGER settings_changes_append_only_delete BEFORE DELETE ON settings_changes
BEGIN SELECT RAISE(ABORT, 'settings_changes is append-only'); END;
