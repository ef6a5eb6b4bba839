extension Schema {
    /// Version 14: the member card in the phone's wallet. A pass has a random serial (its token for
    /// Apple's PassKit web service is derived from it with a server key, so none is stored); `content_key`
    /// is a hash of what the pass shows, so a change (a new name) is noticed and the pass listed as
    /// updated; erasure voids the pass and unlinks it from the member. Devices register for updates.
    static let version14 = """
        CREATE TABLE wallet_passes (
            serial           TEXT PRIMARY KEY NOT NULL,
            member_sub       TEXT UNIQUE REFERENCES members (sub) ON DELETE SET NULL,
            content_key      TEXT NOT NULL,
            updated_at       REAL NOT NULL,
            voided_at        REAL
        ) WITHOUT ROWID;
        CREATE TABLE wallet_registrations (
            device_id   TEXT NOT NULL,
            serial      TEXT NOT NULL REFERENCES wallet_passes (serial) ON DELETE CASCADE,
            push_token  TEXT NOT NULL,
            created_at  REAL NOT NULL,
            PRIMARY KEY (device_id, serial)
        ) WITHOUT ROWID;
        CREATE INDEX wallet_registrations_serial ON wallet_registrations (serial);
        """

    static let version14Postgres = """
        CREATE TABLE wallet_passes (
            serial           text PRIMARY KEY,
            member_sub       text UNIQUE REFERENCES members (sub) ON DELETE SET NULL,
            content_key      text NOT NULL,
            updated_at       double precision NOT NULL,
            voided_at        double precision
        );
        CREATE TABLE wallet_registrations (
            device_id   text NOT NULL,
            serial      text NOT NULL REFERENCES wallet_passes (serial) ON DELETE CASCADE,
            push_token  text NOT NULL,
            created_at  double precision NOT NULL,
            PRIMARY KEY (device_id, serial)
        );
        CREATE INDEX wallet_registrations_serial ON wallet_registrations (serial);
        """
}
