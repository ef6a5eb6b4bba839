extension Schema {
    /// Version 4: indexes for the statistics page's date ranges, so it stays fast on a million members.
    static let version4 = """
        CREATE INDEX login_requests_created ON login_requests (created_at);
        CREATE INDEX login_requests_confirmed ON login_requests (confirmed_at) WHERE confirmed_at IS NOT NULL;
        CREATE INDEX member_consents_changed ON member_consents (changed_at, consent_id, accepted);
        CREATE INDEX member_consents_revoked ON member_consents (revoked_reported_at) WHERE revoked_reported_at IS NOT NULL;
        CREATE INDEX answers_time ON answers (answered_at);
        """
}

extension Schema {
    /// Version 5: daily rollups for the statistics page, so a range of days reads a few thousand rows
    /// however many members there are. One generic table: a count per (day, store, terminal, metric).
    static let version5 = """
        CREATE TABLE stats_daily (
            day       TEXT NOT NULL,
            store     TEXT NOT NULL,
            terminal  TEXT NOT NULL,
            metric    TEXT NOT NULL,
            value     INTEGER NOT NULL,
            PRIMARY KEY (day, store, terminal, metric)
        ) WITHOUT ROWID;
        CREATE TABLE stats_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
        """
}

extension Schema {
    /// Version 7: the answers' time index goes. It doubled the pages every saved answer writes (an
    /// answer insert went from 38k/s to 25k/s on a bare connection); the statistics now read answers
    /// through the members who signed up in the range, by member, as the consents already did.
    static let version7 = """
        DROP INDEX answers_time;
        """
}
