extension Schema {
    /// Version 10 (issue "What the customer and the cashier see"):
    /// - a member number for the member card, never reused: taken from a counter by a trigger when a
    ///   member is added (a rowid can come back after the newest member is erased);
    /// - one-time codes with which an admin pairs a till from `/admin` (only their hash is kept);
    /// - members by phone number, so the till knows whether the customer's consents are on record;
    /// - the questions a member chose to skip, so they are not asked again;
    /// - how a login ends (on our web page, or in the Vipps app, when we poll for the result), and
    ///   for the app ending when to poll next, so that a restart resumes the polling from here.
    static let version10 = """
    CREATE TABLE counters (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL) WITHOUT ROWID;
    ALTER TABLE members ADD COLUMN member_number INTEGER;
    UPDATE members SET member_number = rowid;
    INSERT INTO counters (name, value) VALUES ('member_number', coalesce((SELECT max(member_number) FROM members), 0));
    CREATE UNIQUE INDEX members_number ON members (member_number);
    CREATE TRIGGER members_number_assign AFTER INSERT ON members WHEN NEW.member_number IS NULL
    BEGIN
        UPDATE counters SET value = value + 1 WHERE name = 'member_number';
        UPDATE members SET member_number = (SELECT value FROM counters WHERE name = 'member_number') WHERE rowid = NEW.rowid;
    END;

    CREATE INDEX members_phone ON members (phone_number) WHERE phone_number IS NOT NULL;

    CREATE TABLE skipped_questions (
        member_sub  TEXT NOT NULL REFERENCES members (sub) ON DELETE CASCADE,
        question    TEXT NOT NULL,
        skipped_at  REAL NOT NULL,
        PRIMARY KEY (member_sub, question)
    ) WITHOUT ROWID;

    ALTER TABLE login_requests ADD COLUMN ending TEXT NOT NULL DEFAULT 'webpage' CHECK (ending IN ('webpage', 'app'));
    ALTER TABLE login_requests ADD COLUMN poll_interval REAL;
    ALTER TABLE login_requests ADD COLUMN next_poll_at REAL;
    CREATE INDEX login_requests_polling ON login_requests (next_poll_at) WHERE ending = 'app' AND status = 'pending';

    CREATE TABLE till_pairings (
        code_hash   TEXT PRIMARY KEY NOT NULL,
        store       TEXT NOT NULL,
        label       TEXT NOT NULL,
        created_at  REAL NOT NULL,
        expires_at  REAL NOT NULL,
        used_at     REAL
    ) WITHOUT ROWID;
    """
}
