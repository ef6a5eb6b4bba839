import Foundation

/// A member's session, found by the hash of its cookie.
public struct Session: Sendable, Equatable {
    public var idHash: String
    public var memberSub: String
    public var csrfToken: String
    public var expiresAt: Date

    public init(idHash: String, memberSub: String, csrfToken: String, expiresAt: Date) {
        self.idHash = idHash
        self.memberSub = memberSub
        self.csrfToken = csrfToken
        self.expiresAt = expiresAt
    }
}

/// Sessions and the browser-flow logins that lead to them. Only hashes of cookie values are stored.
public struct SessionStore: Sendable {
    let pool: DatabasePool

    public init(pool: DatabasePool) { self.pool = pool }

    public static func create(_ session: Session, at time: Date, in database: Database) throws {
        try database.execute("INSERT INTO sessions (id_hash, member_sub, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                             [session.idHash, session.memberSub, session.csrfToken, time, session.expiresAt])
    }

    public func find(idHash: String, at time: Date = Date()) async throws -> Session? {
        try await pool.read { database in try Self.find(idHash: idHash, at: time, in: database) }
    }

    static func find(idHash: String, at time: Date, in database: Database) throws -> Session? {
        try database.queryFirst("SELECT id_hash, member_sub, csrf_token, expires_at FROM sessions WHERE id_hash = ? AND expires_at > ?",
                                [idHash, time]) { row in
            Session(idHash: try row[0], memberSub: try row[1], csrfToken: try row[2], expiresAt: try row[3])
        }
    }

    /// The session, its member and their current consents, in one read: what every page of a signed-in
    /// member needs, without three trips to a reader.
    public func signedIn(idHash: String, at time: Date = Date()) async throws -> (Session, Member, [ConsentState])? {
        try await pool.read { database in
            guard let session = try Self.find(idHash: idHash, at: time, in: database),
                  let member = try MemberStore.find(sub: session.memberSub, in: database) else { return nil }
            return (session, member, try ConsentLedger.current(sub: member.profile.sub, in: database))
        }
    }

    public func delete(idHash: String) async throws {
        try await pool.write { database in try database.execute("DELETE FROM sessions WHERE id_hash = ?", [idHash]) }
    }

    /// Keeps a browser login's state, nonce and verifier until its callback.
    public func saveBrowserLogin(state: String, bindingHash: String, nonce: String, codeVerifier: String, expiresAt: Date, at time: Date = Date()) async throws {
        try await pool.write { database in
            try database.execute("DELETE FROM browser_logins WHERE expires_at <= ?", [time])
            try database.execute("INSERT INTO browser_logins (state, binding_hash, nonce, code_verifier, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                                 [state, bindingHash, nonce, codeVerifier, time, expiresAt])
        }
    }

    /// Takes (and removes) the browser login for `state`, if it is still valid and bound to `bindingHash`.
    public func takeBrowserLogin(state: String, bindingHash: String, at time: Date = Date()) async throws -> (nonce: String, codeVerifier: String)? {
        try await pool.write { database in
            let found = try database.queryFirst("SELECT nonce, code_verifier FROM browser_logins WHERE state = ? AND binding_hash = ? AND expires_at > ?",
                                                [state, bindingHash, time]) { (try $0[0] as String, try $0[1] as String) }
            try database.execute("DELETE FROM browser_logins WHERE state = ?", [state])
            return found.map { (nonce: $0.0, codeVerifier: $0.1) }
        }
    }
}
