extension Schema {
    /// Version 10 (issue "What the customer and the cashier see"):
    /// - a member number for the member card, never reused: taken from a counter by a trigger when a
    ///   member is added (a rowid can come back after the newest member is erased);
    /// - one-time codes with which an admin pairs a till from `/admin` (only their hash is kept);
    /// - members by phone number, so the till knows whether the customer's consents are on record;
    /// - the questions a member chose to skip, so they are not asked again;
    /// - how a login ends (on our web page, or in the Vipps app, when we poll for the result), and
    ///   for the app ending when to poll next, so that a restart resumes the polling from here;
    /// - webhooks out: the merchant's endpoints (the signing secret is needed to sign, so it is kept),
    ///   an outbox of events written in the same transaction as the change they report, and one
    ///   delivery row per event and endpoint that the delivery service works through.
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

        CREATE TABLE webhook_endpoints (
            id             INTEGER PRIMARY KEY,
            url            TEXT NOT NULL,
            secret         TEXT NOT NULL,
            events         TEXT NOT NULL,
            enabled        INTEGER NOT NULL DEFAULT 1,
            created_at     REAL NOT NULL,
            failing_since  REAL
        );
        CREATE TABLE webhook_events (
            id          INTEGER PRIMARY KEY,
            event_id    TEXT NOT NULL UNIQUE,
            type        TEXT NOT NULL,
            member_key  TEXT NOT NULL,
            payload     TEXT NOT NULL,
            created_at  REAL NOT NULL
        );
        CREATE TABLE webhook_deliveries (
            event       INTEGER NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
            endpoint    INTEGER NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
            member_key  TEXT NOT NULL,
            status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
            attempts    INTEGER NOT NULL DEFAULT 0,
            next_at     REAL NOT NULL,
            last_status INTEGER,
            last_error  TEXT,
            delivered_at REAL,
            PRIMARY KEY (event, endpoint)
        ) WITHOUT ROWID;
        CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at) WHERE status = 'pending';
        CREATE INDEX webhook_deliveries_member ON webhook_deliveries (endpoint, member_key, event) WHERE status = 'pending';

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
