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
