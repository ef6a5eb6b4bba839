extension Schema {
    /// Images marketing adds to pages. Kept in the database, not on one instance's disk, so that every
    /// instance serves them; named by their content's hash, so an upload is stored once. And monthly
    /// rollups beside the daily ones: a year's statistics read 12 months instead of 365 days of rows, and
    /// the signups per day come through an index of their own.
    static let version12 = """
        CREATE TABLE media (
            name          TEXT PRIMARY KEY NOT NULL,
            content_type  TEXT NOT NULL,
            bytes         BLOB NOT NULL,
            alt           TEXT NOT NULL,
            author        TEXT NOT NULL,
            created_at    REAL NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE stats_monthly (
            month     TEXT NOT NULL,
            store     TEXT NOT NULL,
            terminal  TEXT NOT NULL,
            metric    TEXT NOT NULL,
            value     INTEGER NOT NULL,
            PRIMARY KEY (month, store, terminal, metric)
        ) WITHOUT ROWID;
        CREATE INDEX stats_daily_metric ON stats_daily (metric, day);
        DELETE FROM stats_meta WHERE key IN ('complete_through', 'refreshed_at');
        """

    static let version12Postgres = """
        CREATE TABLE media (
            name          text PRIMARY KEY,
            content_type  text NOT NULL,
            bytes         bytea NOT NULL,
            alt           text NOT NULL,
            author        text NOT NULL,
            created_at    double precision NOT NULL
        );
        CREATE TABLE stats_monthly (
            month     text NOT NULL,
            store     text NOT NULL,
            terminal  text NOT NULL,
            metric    text NOT NULL,
            value     bigint NOT NULL,
            PRIMARY KEY (month, store, terminal, metric)
        );
        CREATE INDEX stats_daily_metric ON stats_daily (metric, day);
        DELETE FROM stats_meta WHERE key IN ('complete_through', 'refreshed_at');
        """
}
