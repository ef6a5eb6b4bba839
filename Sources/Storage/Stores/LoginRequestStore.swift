import Foundation

/// A login from phone number as the till started it, and where it got to.
public struct LoginRequest: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case pending, confirmed, landed, completed, expired, failed
    }

    /// Where the login ends: Vipps sends the customer's browser to our web page, or the customer
    /// stays in the app and we fetch the result by polling Vipps.
    public enum Ending: String, Sendable, CaseIterable, Codable {
        case webpage, app
    }

    public var id: String
    public var authReqID: String?
    public var phoneHint: String
    public var bindingMessage: String?
    public var store: String
    public var terminal: String?
    public var askConsents: Bool
    public var ending: Ending = .webpage
    /// For the app ending: seconds between polls (Vipps' `interval`, longer after `slow_down`).
    public var pollInterval: Double?
    public var status: Status
    public var failure: String?
    public var memberSub: String?
    public var phoneMismatch: Bool
    public var createdAt: Date
    public var expiresAt: Date
    public var confirmedAt: Date?
    public var landedAt: Date?
    public var completedAt: Date?

    public init(
        id: String, phoneHint: String, bindingMessage: String?, store: String, terminal: String?, askConsents: Bool,
        createdAt: Date, expiresAt: Date
    ) {
        self.id = id
        self.phoneHint = phoneHint
        self.bindingMessage = bindingMessage
        self.store = store
        self.terminal = terminal
        self.askConsents = askConsents
        status = .pending
        phoneMismatch = false
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    /// The status as of `time`: a pending request past its expiry is expired.
    public func status(at time: Date) -> Status {
        status == .pending && expiresAt <= time ? .expired : status
    }
}

/// Login requests: stored before Vipps is called, then moved along by the callback and the pages.
public struct LoginRequestStore: Sendable {
    let pool: any DatabasePool

    public init(pool: any DatabasePool) { self.pool = pool }

    public func create(_ request: LoginRequest) async throws {
        try await pool.write { database in
            try database.execute(
                """
                INSERT INTO login_requests (id, phone_hint, binding_message, store, terminal, ask_consents, status, created_at, expires_at, ending)
                VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)
                """,
                [
                    request.id, request.phoneHint, request.bindingMessage, request.store, request.terminal, request.askConsents,
                    request.createdAt, request.expiresAt, request.ending.rawValue,
                ])
        }
    }

    /// Vipps accepted the login: its `auth_req_id` and expiry.
    /// For the app ending, `pollInterval` schedules the first poll that far ahead.
    public func started(id: String, authReqID: String, expiresAt: Date, pollInterval: Double? = nil, at time: Date = Date()) async throws {
        try await pool.write { database in
            try database.execute(
                "UPDATE login_requests SET auth_req_id = ?, expires_at = ?, poll_interval = ?, next_poll_at = ? WHERE id = ?",
                [authReqID, expiresAt, pollInterval, pollInterval.map { time.addingTimeInterval($0) }, id])
        }
    }

    /// App-ending logins still waiting whose next poll is due, oldest first.
    public func duePolls(at time: Date = Date(), limit: Int = 50) async throws -> [LoginRequest] {
        try await pool.read { database in
            try database.query(
                Self.select + """
                     WHERE ending = 'app' AND status = 'pending' AND next_poll_at <= ?1 AND expires_at > ?1 AND auth_req_id IS NOT NULL
                     ORDER BY next_poll_at LIMIT ?2
                    """, [time, limit], Self.row)
        }
    }

    /// When to poll this login next, and how often from now on; `note` says why it is still waiting when
    /// that is worth telling the till (`vipps_unreachable`), nil when all is well.
    public func reschedule(id: String, interval: Double, nextPollAt: Date, note: String? = nil) async throws {
        try await pool.write { database in
            try database.execute(
                "UPDATE login_requests SET poll_interval = ?, next_poll_at = ?, failure = ? WHERE id = ? AND status = 'pending'",
                [interval, nextPollAt, note, id])
        }
    }

    /// Records that the browser holding another member's session was asked "Continue as B?" for this
    /// login, by the hash of the answer's one-time token: only that answer, for this login and its
    /// member, can be taken (`takeSwitch`). A newer question for the login replaces the older.
    public func offerSwitch(id: String, sub: String, tokenHash: String) async throws {
        try await pool.write { database in
            try database.execute("UPDATE login_requests SET switch_hash = ? WHERE id = ? AND member_sub = ?", [tokenHash, id, sub])
        }
    }

    /// Takes the answer to the question `offerSwitch` recorded: true once, when the token, the login and
    /// its member all match and the login was confirmed after `confirmedAfter`; false for a replay,
    /// another login's answer, or a stale one.
    public func takeSwitch(id: String, sub: String, tokenHash: String, confirmedAfter: Date) async throws -> Bool {
        try await pool.write { database in
            try database.execute(
                "UPDATE login_requests SET switch_hash = NULL WHERE id = ? AND member_sub = ? AND switch_hash = ? AND confirmed_at > ?",
                [id, sub, tokenHash, confirmedAfter])
            return database.changes > 0
        }
    }

    /// Blanks the phone numbers typed at the till for logins that expired before `time`, confirmed or
    /// not: once a login is over the number has done its work (the member's own number, if any, is on
    /// the member). Returns how many were blanked.
    @discardableResult
    public func blankTypedPhones(expiredBefore time: Date) async throws -> Int {
        try await pool.write { database in
            try database.execute("UPDATE login_requests SET phone_hint = '' WHERE phone_hint <> '' AND expires_at < ?", [time])
            return database.changes
        }
    }

    /// The failure recorded when staff cancel a waiting login at the till.
    public static let cancelledAtTill = "cancelled_at_till"

    /// Cancels a login that is still waiting for the customer (on our side: Vipps is not told, and a
    /// confirmation that arrives later lands nobody). False when it was no longer waiting.
    public func cancel(id: String, at time: Date = Date()) async throws -> Bool {
        try await pool.write { database in
            try database.execute(
                "UPDATE login_requests SET status = 'failed', failure = ? WHERE id = ? AND status = 'pending' AND expires_at > ?",
                [Self.cancelledAtTill, id, time])
            return database.changes > 0
        }
    }

    public func fail(id: String, reason: String) async throws {
        try await pool.write { database in
            try database.execute(
                "UPDATE login_requests SET status = 'failed', failure = ? WHERE id = ? AND status IN ('pending', 'confirmed')", [reason, id])
        }
    }

    public func find(id: String) async throws -> LoginRequest? {
        try await pool.read { database in try database.queryFirst(Self.select + " WHERE id = ?", [id], Self.row) }
    }

    public func find(authReqID: String) async throws -> LoginRequest? {
        try await pool.read { database in try database.queryFirst(Self.select + " WHERE auth_req_id = ?", [authReqID], Self.row) }
    }

    /// The request a code was already exchanged for: a replayed callback lands the same member.
    public func find(codeHash: String) async throws -> LoginRequest? {
        try await pool.read { database in try database.queryFirst(Self.select + " WHERE code_hash = ?", [codeHash], Self.row) }
    }

    /// Claims `codeHash` for the request before the exchange, so two racing callbacks exchange it once;
    /// false when the code was claimed already.
    public func claim(codeHash: String, authReqID: String) async throws -> Bool {
        try await pool.write { database in
            guard try database.scalar("SELECT 1 FROM login_requests WHERE code_hash = ?", [codeHash], as: Int.self) == nil else { return false }
            try database.execute("UPDATE login_requests SET code_hash = ? WHERE auth_req_id = ? AND code_hash IS NULL", [codeHash, authReqID])
            return database.changes > 0
        }
    }

    /// The customer confirmed (their ID token arrived), as `sub`.
    public static func confirm(authReqID: String, sub: String, phoneMismatch: Bool, at time: Date, in database: any Database) throws {
        try database.execute(
            """
            UPDATE login_requests SET status = 'confirmed', member_sub = ?, phone_mismatch = ?, confirmed_at = ?, failure = NULL
            WHERE auth_req_id = ? AND status = 'pending'
            """, [sub, phoneMismatch, time, authReqID])
    }

    /// The customer's browser reached the welcome page in `sessionHash`'s session: the request is landed
    /// if it is still confirmed, and was confirmed after `confirmedAfter`. Returns whether it was.
    static func land(id: String, sessionHash: String, confirmedAfter: Date, at time: Date, in database: any Database) throws -> Bool {
        try database.execute(
            """
            UPDATE login_requests SET status = 'landed', landed_at = ?, session_hash = ?
            WHERE id = ? AND status = 'confirmed' AND confirmed_at > ?
            """, [time, sessionHash, id, confirmedAfter])
        return database.changes > 0
    }

    /// The customer finished onboarding (saved or skipped the preferences).
    public func completed(sessionHash: String, at time: Date = Date()) async throws {
        try await pool.write { database in try Self.completed(sessionHash: sessionHash, at: time, in: database) }
    }

    /// The same, inside the caller's transaction.
    /// Whether a login request was completed by this (false when there was none waiting).
    @discardableResult
    public static func completed(sessionHash: String, at time: Date, in database: any Database) throws -> Bool {
        try database.execute(
            """
            UPDATE login_requests SET status = 'completed', completed_at = ? WHERE session_hash = ? AND status = 'landed'
            """, [time, sessionHash])
        return database.changes > 0
    }

    private static let select = """
        SELECT id, auth_req_id, phone_hint, binding_message, store, terminal, ask_consents, status, failure, member_sub,
               phone_mismatch, created_at, expires_at, confirmed_at, landed_at, completed_at, ending, poll_interval FROM login_requests
        """

    private static func row(_ row: Row) throws -> LoginRequest {
        var request = LoginRequest(
            id: try row[0], phoneHint: try row[2], bindingMessage: try row[3], store: try row[4], terminal: try row[5],
            askConsents: try row[6], createdAt: try row[11], expiresAt: try row[12])
        request.authReqID = try row[1]
        request.status = try .stored(try row[7], table: "login_requests", column: "status")
        request.failure = try row[8]
        request.memberSub = try row[9]
        request.phoneMismatch = try row[10]
        request.confirmedAt = try row[13]
        request.landedAt = try row[14]
        request.completedAt = try row[15]
        request.ending = try .stored(try row[16], table: "login_requests", column: "ending")
        request.pollInterval = try row[17]
        return request
    }
}
