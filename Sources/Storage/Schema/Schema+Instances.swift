extension Schema {
    /// What several instances on one database must share instead of keeping in memory: the login request
    /// a new session still has to mark landed (the callback may reach one instance and `/welcome`
    /// another), when each periodic job last ran (so it runs once, not once per instance), and the
    /// rate limits' token buckets.
    static let version11 = """
        ALTER TABLE sessions ADD COLUMN landing_request TEXT;
        CREATE TABLE job_runs (name TEXT PRIMARY KEY NOT NULL, last_run REAL NOT NULL) WITHOUT ROWID;
        CREATE TABLE rate_buckets (key TEXT PRIMARY KEY NOT NULL, tokens REAL NOT NULL, updated REAL NOT NULL) WITHOUT ROWID;
        """

    static let version11Postgres = """
        ALTER TABLE sessions ADD COLUMN landing_request text;
        CREATE TABLE job_runs (name text PRIMARY KEY, last_run double precision NOT NULL);
        CREATE TABLE rate_buckets (key text PRIMARY KEY, tokens double precision NOT NULL, updated double precision NOT NULL);
        """
}
