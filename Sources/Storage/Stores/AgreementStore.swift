import Foundation

/// The terms and privacy statement a member accepted in one login (Vipps' `agreement` scope): which
/// version (a hash of what was shown), whether accepted, when, and the object as received.
public struct AgreementAcceptance: Sendable, Equatable {
    public var version: String
    public var accepted: Bool
    public var payload: String
    public var time: Date

    public init(version: String, accepted: Bool, payload: String, time: Date) {
        self.version = version
        self.accepted = accepted
        self.payload = payload
        self.time = time
    }
}

/// How many members accepted one version last, and when it was last accepted.
public struct AgreementVersionCount: Sendable, Equatable {
    public var version: String
    public var members: Int
    public var lastAcceptedAt: Date
}

/// Every login's acceptance of the merchant's terms, kept per login (Vipps asks on every login), and
/// erased with the member.
public struct AgreementStore: Sendable {
    public let pool: any DatabasePool

    public init(pool: any DatabasePool) { self.pool = pool }

    static func record(_ acceptance: AgreementAcceptance, sub: String, loginRequestID: String?, in database: any Database) throws {
        try database.execute(
            """
            INSERT INTO agreement_acceptances (member_sub, login_request_id, version, accepted, payload, accepted_at) VALUES (?, ?, ?, ?, ?, ?)
            """, [sub, loginRequestID, acceptance.version, acceptance.accepted, acceptance.payload, acceptance.time])
    }

    /// The member's newest acceptance.
    public func latest(sub: String) async throws -> AgreementAcceptance? {
        try await pool.read { database in
            try database.query(
                """
                SELECT version, accepted, payload, accepted_at FROM agreement_acceptances WHERE member_sub = ?
                ORDER BY accepted_at DESC, id DESC LIMIT 1
                """, [sub]
            ) { row in
                AgreementAcceptance(version: try row[0], accepted: try row[1], payload: try row[2], time: try row[3])
            }.first
        }
    }

    /// Every acceptance of the member, oldest first (for the member's export).
    public func all(sub: String) async throws -> [AgreementAcceptance] {
        try await pool.read { database in
            try database.query(
                "SELECT version, accepted, payload, accepted_at FROM agreement_acceptances WHERE member_sub = ? ORDER BY accepted_at, id", [sub]
            ) { row in
                AgreementAcceptance(version: try row[0], accepted: try row[1], payload: try row[2], time: try row[3])
            }
        }
    }

    /// The versions numbered 1, 2, … in the order they were first accepted: what people read instead
    /// of a hash.
    public func numbers() async throws -> [String: Int] {
        let versions = try await pool.read { database in
            try database.query("SELECT version FROM agreement_acceptances GROUP BY version ORDER BY min(accepted_at), version") { row in
                try row[0] as String
            }
        }
        return Dictionary(uniqueKeysWithValues: versions.enumerated().map { ($0.element, $0.offset + 1) })
    }

    /// Per version, the members whose newest acceptance it is, the newest version first.
    public func versions() async throws -> [AgreementVersionCount] {
        try await pool.read { database in
            try database.query(
                """
                SELECT a.version, count(*), max(a.accepted_at) FROM agreement_acceptances a
                WHERE a.accepted AND a.id = (SELECT b.id FROM agreement_acceptances b WHERE b.member_sub = a.member_sub AND b.accepted
                                             ORDER BY b.accepted_at DESC, b.id DESC LIMIT 1)
                GROUP BY a.version ORDER BY max(a.accepted_at) DESC
                """
            ) { row in
                AgreementVersionCount(version: try row[0], members: Int(try row[1] as Int64), lastAcceptedAt: try row[2])
            }
        }
    }
}
