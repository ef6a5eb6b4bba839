/// The product's schema, as numbered migrations. Never edit a released migration: add the next one.
///
/// Each migration is SQLite's SQL and, from 11 on, PostgreSQL's beside it (PostgreSQL's first migration
/// is the schema as of 10, `postgresBaseline`).
///
/// Conventions: times are REAL seconds since 1970 UTC (`SQLDialect.utcDay` groups them by day);
/// members are keyed by Vipps `sub`; history tables only grow (the consent ledger refuses updates
/// outright); personal data lives in `members`, and deleting a member cascades to what belongs to them.
public enum Schema {
    public static let migrations: [Migration] = [
        Migration(version: 1, name: "the whole product", sql: version1, postgres: postgresBaseline),
        Migration(version: 2, name: "onboarding: sessions, browser logins, hash-chained consent receipts", sql: version2),
        Migration(version: 3, name: "staff: sessions and the audit log", sql: version3),
        Migration(version: 4, name: "statistics indexes", sql: version4),
        Migration(version: 5, name: "statistics daily rollups", sql: version5),
        Migration(version: 6, name: "editable preference questions", sql: version6),
        Migration(version: 7, name: "no time index on answers", sql: version7),
        Migration(version: 8, name: "landed login requests by session", sql: version8),
        Migration(version: 9, name: "no answer text in statistics; server secrets", sql: version9),
        Migration(version: 10, name: "member numbers; till pairing codes", sql: version10),
        Migration(version: 11, name: "several instances: the landing a session owes, jobs run once", sql: version11, postgres: version11Postgres),
        Migration(version: 12, name: "images for pages; monthly statistics", sql: version12, postgres: version12Postgres),
        Migration(version: 13, name: "consents with their words; agreements accepted", sql: version13, postgres: version13Postgres),
        Migration(version: 14, name: "wallet passes and the devices registered for them", sql: version14, postgres: version14Postgres),
        Migration(
            version: 15, name: "tokens spent once; the member switch bound to its login", sql: spentTokensAndSwitch,
            postgres: spentTokensAndSwitchPostgres),
        Migration(version: 16, name: "the welcome offer: single-use codes and marketing's settings", sql: version15, postgres: version15Postgres),
    ]

    static let version1 = """
        CREATE TABLE members (
            sub             TEXT PRIMARY KEY NOT NULL,
            name            TEXT,
            given_name      TEXT,
            family_name     TEXT,
            email           TEXT,
            email_verified  INTEGER,
            phone_number    TEXT,
            birthdate       TEXT,
            address_json    TEXT,
            language        TEXT CHECK (language IN ('nb', 'en')),
            first_store     TEXT,
            created_at      REAL NOT NULL,
            last_login_at   REAL NOT NULL,
            login_count     INTEGER NOT NULL DEFAULT 1
        );
        CREATE INDEX members_created ON members (created_at);

        CREATE TABLE login_requests (
            id               TEXT PRIMARY KEY NOT NULL,
            auth_req_id      TEXT UNIQUE,
            phone_hint       TEXT NOT NULL,
            binding_message  TEXT,
            store            TEXT NOT NULL,
            terminal         TEXT,
            ask_consents     INTEGER NOT NULL DEFAULT 0,
            status           TEXT NOT NULL DEFAULT 'pending'
                             CHECK (status IN ('pending', 'confirmed', 'landed', 'completed', 'expired', 'failed')),
            failure          TEXT,
            member_sub       TEXT REFERENCES members (sub) ON DELETE SET NULL,
            code_hash        TEXT UNIQUE,
            created_at       REAL NOT NULL,
            expires_at       REAL NOT NULL,
            confirmed_at     REAL,
            landed_at        REAL,
            completed_at     REAL
        );
        CREATE INDEX login_requests_store_created ON login_requests (store, created_at);
        CREATE INDEX login_requests_pending ON login_requests (expires_at) WHERE status = 'pending';
        CREATE INDEX login_requests_member ON login_requests (member_sub);

        -- Every delegatedConsents payload, verbatim, with when and where it came from.
        CREATE TABLE consent_ledger (
            id                INTEGER PRIMARY KEY,
            member_sub        TEXT NOT NULL REFERENCES members (sub) ON DELETE CASCADE,
            source            TEXT NOT NULL CHECK (source IN ('login', 'webhook', 'member')),
            payload           TEXT NOT NULL,
            login_request_id  TEXT,
            recorded_at       REAL NOT NULL
        );
        CREATE INDEX consent_ledger_member ON consent_ledger (member_sub, recorded_at);
        CREATE TRIGGER consent_ledger_append_only BEFORE UPDATE ON consent_ledger
        BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only'); END;

        -- Each member's current answer per consent, derived from the ledger, for the statistics.
        CREATE TABLE member_consents (
            member_sub  TEXT NOT NULL REFERENCES members (sub) ON DELETE CASCADE,
            consent_id  TEXT NOT NULL,
            accepted    INTEGER NOT NULL,
            changed_at  REAL NOT NULL,
            PRIMARY KEY (member_sub, consent_id)
        ) WITHOUT ROWID;
        CREATE INDEX member_consents_consent ON member_consents (consent_id, accepted);

        -- Preference answers, append-only: the latest per question is the current answer, the rest is its
        -- history. One b-tree clustered by member (no rowid, no secondary index), so saving an answer
        -- writes one page, and a member's answers are read, exported or deleted in one range.
        CREATE TABLE answers (
            member_sub   TEXT NOT NULL REFERENCES members (sub) ON DELETE CASCADE,
            question     TEXT NOT NULL,
            answered_at  REAL NOT NULL,
            value        TEXT NOT NULL,
            PRIMARY KEY (member_sub, question, answered_at)
        ) WITHOUT ROWID;

        CREATE TABLE pages (
            id                     INTEGER PRIMARY KEY,
            slug                   TEXT NOT NULL,
            lang                   TEXT NOT NULL CHECK (lang IN ('nb', 'en')),
            kind                   TEXT NOT NULL CHECK (kind IN ('welcome', 'offer')),
            published_revision_id  INTEGER REFERENCES page_revisions (id),
            created_at             REAL NOT NULL,
            UNIQUE (slug, lang)
        );

        -- Every saved version of a page: the Markdown with its front matter, and the fields read from it.
        CREATE TABLE page_revisions (
            id          INTEGER PRIMARY KEY,
            page_id     INTEGER NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
            source      TEXT NOT NULL,
            title       TEXT NOT NULL,
            audience    TEXT NOT NULL,
            publish_at  REAL,
            expire_at   REAL,
            author      TEXT NOT NULL,
            created_at  REAL NOT NULL
        );
        CREATE INDEX page_revisions_page ON page_revisions (page_id, id);

        CREATE TABLE funnel_events (
            id                INTEGER PRIMARY KEY,
            kind              TEXT NOT NULL,
            store             TEXT,
            login_request_id  TEXT,
            member_sub        TEXT REFERENCES members (sub) ON DELETE SET NULL,
            detail            TEXT,
            occurred_at       REAL NOT NULL
        );
        CREATE INDEX funnel_events_time ON funnel_events (occurred_at, kind);
        CREATE INDEX funnel_events_store ON funnel_events (store, occurred_at, kind);

        CREATE TABLE staff (
            id             INTEGER PRIMARY KEY,
            phone          TEXT NOT NULL UNIQUE,
            sub            TEXT UNIQUE,
            role           TEXT NOT NULL CHECK (role IN ('admin', 'marketing', 'merchant', 'pos')),
            name           TEXT,
            created_at     REAL NOT NULL,
            last_login_at  REAL
        );

        -- POS API keys: only a SHA-256 of the secret is kept; the prefix identifies a key in lists and logs.
        CREATE TABLE api_keys (
            id            INTEGER PRIMARY KEY,
            prefix        TEXT NOT NULL UNIQUE,
            secret_hash   BLOB NOT NULL,
            store         TEXT NOT NULL,
            label         TEXT NOT NULL,
            created_at    REAL NOT NULL,
            last_used_at  REAL,
            revoked_at    REAL
        );
        """
}
