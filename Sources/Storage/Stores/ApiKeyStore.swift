import Foundation

/// A POS API key as stored: its public prefix, the SHA-256 of its secret, and the store it acts for.
public struct ApiKey: Sendable, Equatable {
    public var prefix: String
    public var secretHash: Data
    public var store: String
    public var label: String
    public var revoked: Bool
}

/// POS API keys. The secret itself is shown once, at creation, and never stored.
public struct ApiKeyStore: Sendable {
    let pool: any DatabasePool

    public init(pool: any DatabasePool) { self.pool = pool }

    public func create(prefix: String, secretHash: Data, store: String, label: String, at time: Date = Date()) async throws {
        try await pool.write { database in
            try database.execute(
                "INSERT INTO api_keys (prefix, secret_hash, store, label, created_at) VALUES (?, ?, ?, ?, ?)",
                [prefix, secretHash, store, label, time])
        }
    }

    /// Every key, newest first, with when it was made, last used and revoked.
    public func all() async throws -> [(key: ApiKey, createdAt: Date, revokedAt: Date?)] {
        try await pool.read { database in
            try database.query(
                "SELECT prefix, secret_hash, store, label, revoked_at IS NOT NULL, created_at, revoked_at FROM api_keys ORDER BY id DESC"
            ) { row in
                (
                    ApiKey(prefix: try row[0], secretHash: try row[1], store: try row[2], label: try row[3], revoked: try row[4]),
                    try row[5] as Date, try row[6] as Date?
                )
            }
        }
    }

    /// Revokes the key with `prefix` (refused from the next request on), recorded in the audit log in
    /// the same transaction; false when there is no such key or it was revoked already.
    public func revoke(prefix: String, by staff: StaffMember?, at time: Date = Date()) async throws -> Bool {
        try await pool.write { database in
            try database.execute("UPDATE api_keys SET revoked_at = ? WHERE prefix = ? AND revoked_at IS NULL", [time, prefix])
            guard database.changes > 0 else { return false }
            try StaffStore.audit(staff, action: "apikey.revoke", detail: prefix, at: time, in: database)
            return true
        }
    }

    public func find(prefix: String) async throws -> ApiKey? {
        try await pool.read { database in
            try database.queryFirst("SELECT prefix, secret_hash, store, label, revoked_at IS NOT NULL FROM api_keys WHERE prefix = ?", [prefix]) {
                row in
                ApiKey(prefix: try row[0], secretHash: try row[1], store: try row[2], label: try row[3], revoked: try row[4])
            }
        }
    }
}

/// Funnel events for the statistics: what happened, where, when. No personal data beyond the member's sub.
public struct FunnelEvents: Sendable {
    let pool: any DatabasePool

    public init(pool: any DatabasePool) { self.pool = pool }

    public func record(_ kind: String, store: String?, loginRequestID: String? = nil, sub: String? = nil, at time: Date = Date()) async throws {
        try await pool.write { database in try Self.record(kind, store: store, loginRequestID: loginRequestID, sub: sub, at: time, in: database) }
    }

    public static func record(_ kind: String, store: String?, loginRequestID: String?, sub: String?, at time: Date, in database: any Database) throws
    {
        try database.execute(
            "INSERT INTO funnel_events (kind, store, login_request_id, member_sub, occurred_at) VALUES (?, ?, ?, ?, ?)",
            [kind, store, loginRequestID, sub, time])
    }
}
