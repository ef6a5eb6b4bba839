extension Schema {
    /// Version 9 (issue "Security, second round"):
    /// - statistics never keep an answer's text: only choice and yes/no answers are rolled up by value,
    ///   every other type as answered. The old rollups held free text and postcodes, so they are dropped
    ///   and recomputed from the base tables on the next view;
    /// - server secrets, made once per database so that every instance on it seals and opens the same
    ///   cookies (the browser flow's state, nonce and PKCE verifier live in one instead of a table row).
    static let version9 = """
        DELETE FROM stats_daily;
        DELETE FROM stats_meta;
        CREATE TABLE server_secrets (
            name        TEXT PRIMARY KEY NOT NULL,
            value       BLOB NOT NULL,
            created_at  REAL NOT NULL
        ) WITHOUT ROWID;
        DELETE FROM browser_logins;
        """
}
