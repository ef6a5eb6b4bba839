extension Schema {
    /// Issue 25, "the third security round" (version 13 on its branch; named for what it does, not by
    /// number, so that it takes the next free number when branches merge):
    /// - tokens spent once: a browser login's `state` is used at most once, so a replayed callback with
    ///   its cookie never reaches Vipps' token endpoint again. Only a hash is kept, until the token would
    ///   have expired anyway (then the retention service drops it);
    /// - the "Continue as B?" question bound to the login it was asked for: the hash of the answer's
    ///   token is kept on that login request, and answering clears it (once, for that login only);
    /// - the phone numbers typed at the till are blanked a day after their login request expired, by the
    ///   retention service: this partial index holds only the rows that still have one;
    /// - the outbox's events by member, so that erasing one empties their earlier payloads without a scan,
    ///   and by time, for the retention service's purge of settled events.
    static let spentTokensAndSwitch = """
        CREATE TABLE spent_tokens (hash TEXT PRIMARY KEY NOT NULL, expires_at REAL NOT NULL) WITHOUT ROWID;
        ALTER TABLE login_requests ADD COLUMN switch_hash TEXT;
        CREATE INDEX login_requests_typed_phone ON login_requests (expires_at) WHERE phone_hint <> '';
        CREATE INDEX webhook_events_member ON webhook_events (member_key);
        CREATE INDEX webhook_events_created ON webhook_events (created_at);
        """

    static let spentTokensAndSwitchPostgres = """
        CREATE TABLE spent_tokens (hash text PRIMARY KEY, expires_at double precision NOT NULL);
        ALTER TABLE login_requests ADD COLUMN switch_hash text;
        CREATE INDEX login_requests_typed_phone ON login_requests (expires_at) WHERE phone_hint <> '';
        CREATE INDEX webhook_events_member ON webhook_events (member_key);
        CREATE INDEX webhook_events_created ON webhook_events (created_at);
        """
}
