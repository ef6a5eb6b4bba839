extension Schema {
    /// Version 3, for the staff area: staff sessions (separate from members', shorter) and the audit log.
    static let version3 = """
        CREATE TABLE staff_sessions (
            id_hash     TEXT PRIMARY KEY NOT NULL,
            staff_id    INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
            csrf_token  TEXT NOT NULL,
            created_at  REAL NOT NULL,
            expires_at  REAL NOT NULL
        ) WITHOUT ROWID;

        -- Every staff action that changes something or exports data. Append-only.
        CREATE TABLE audit_log (
            id          INTEGER PRIMARY KEY,
            staff_id    INTEGER REFERENCES staff (id) ON DELETE SET NULL,
            staff_name  TEXT NOT NULL,
            action      TEXT NOT NULL,
            detail      TEXT NOT NULL,
            at          REAL NOT NULL
        );
        CREATE INDEX audit_log_at ON audit_log (at);
        CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
        WHEN NOT (NEW.staff_id IS NULL AND NEW.action = OLD.action AND NEW.detail = OLD.detail AND NEW.at = OLD.at)
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

        ALTER TABLE page_revisions ADD COLUMN unpublished INTEGER NOT NULL DEFAULT 0;
        """
}

extension Schema {
    /// Version 6: preference questions editable by marketing (each with its purpose and how long its
    /// answers are kept), seeded from `Templates/preferences.json`.
    static let version6 = """
        CREATE TABLE preference_questions (
            id              TEXT PRIMARY KEY NOT NULL,
            position        INTEGER NOT NULL,
            definition      TEXT NOT NULL,
            updated_at      REAL NOT NULL
        ) WITHOUT ROWID;
        """
}
