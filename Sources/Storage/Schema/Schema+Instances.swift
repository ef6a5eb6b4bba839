extension Schema {
    /// What several instances on one database must share instead of keeping in memory: the login request
    /// a new session still has to mark landed (the callback may reach one instance and `/welcome`
    /// another), when each periodic job last ran (so it runs once, not once per instance), and the
    /// rate limits' windows.
    static let version11 = """
        ALTER TABLE sessions ADD COLUMN landing_request TEXT;
        CREATE TABLE job_runs (name TEXT PRIMARY KEY NOT NULL, last_run REAL NOT NULL) WITHOUT ROWID;
        CREATE TABLE rate_windows (
            key           TEXT PRIMARY KEY NOT NULL,
            window_start  REAL NOT NULL,
            count         INTEGER NOT NULL
        ) WITHOUT ROWID;
        """

    static let version11Postgres = """
        ALTER TABLE sessions ADD COLUMN landing_request text;
        CREATE TABLE job_runs (name text PRIMARY KEY, last_run double precision NOT NULL);
        CREATE TABLE rate_windows (
            key           text PRIMARY KEY,
            window_start  double precision NOT NULL,
            count         bigint NOT NULL
        );
        """
}
