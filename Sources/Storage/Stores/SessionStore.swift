import Foundation

/// A member's session, found by the hash of its cookie.
public struct Session: Sendable, Equatable {
    public var idHash: String
    public var memberSub: String
    public var csrfToken: String
    public var expiresAt: Date
    /// The till's login this session still has to mark landed when its browser reaches the welcome
    /// page (kept with the session, not in one instance's memory: the callback and the welcome page
    /// may be served by different instances).
    public var landingRequestID: String?

    public init(idHash: String, memberSub: String, csrfToken: String, expiresAt: Date, landingRequestID: String? = nil) {
        self.idHash = idHash
        self.memberSub = memberSub
        self.csrfToken = csrfToken
        self.expiresAt = expiresAt
        self.landingRequestID = landingRequestID
    }
}

/// Sessions and the browser-flow logins that lead to them. Only hashes of cookie values are stored.
public struct SessionStore: Sendable {
    let pool: any DatabasePool

    public init(pool: any DatabasePool) { self.pool = pool }

    /// Starts `session`, committed before this returns.
    public func start(_ session: Session, at time: Date = Date()) async throws {
        try await pool.write { database in try Self.create(session, at: time, in: database) }
    }

    public static func create(_ session: Session, at time: Date, in database: any Database) throws {
        try database.execute(
            "INSERT INTO sessions (id_hash, member_sub, csrf_token, created_at, expires_at, landing_request) VALUES (?, ?, ?, ?, ?, ?)",
            [session.idHash, session.memberSub, session.csrfToken, time, session.expiresAt, session.landingRequestID])
    }

    public func find(idHash: String, at time: Date = Date()) async throws -> Session? {
        try await pool.read { database in try Self.find(idHash: idHash, at: time, in: database) }
    }

    static func find(idHash: String, at time: Date, in database: any Database) throws -> Session? {
        try database.queryFirst(
            "SELECT id_hash, member_sub, csrf_token, expires_at, landing_request FROM sessions WHERE id_hash = ? AND expires_at > ?",
            [idHash, time]
        ) { row in
            Session(idHash: try row[0], memberSub: try row[1], csrfToken: try row[2], expiresAt: try row[3], landingRequestID: try row[4])
        }
    }

    /// The session, its member and their current consents, in one read: what every page of a signed-in
    /// member needs, without three trips to a reader.
    public func signedIn(idHash: String, at time: Date = Date()) async throws -> (Session, Member, [ConsentState])? {
        try await pool.read { database in
            guard let session = try Self.find(idHash: idHash, at: time, in: database),
                let member = try MemberStore.find(sub: session.memberSub, in: database)
            else { return nil }
            return (session, member, try ConsentLedger.current(sub: member.profile.sub, in: database))
        }
    }

    public func delete(idHash: String) async throws {
        try await pool.write { database in try database.execute("DELETE FROM sessions WHERE id_hash = ?", [idHash]) }
    }
}
