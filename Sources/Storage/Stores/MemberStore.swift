import Foundation

/// What Vipps tells us about a member at login (userinfo), refreshed at every login.
public struct MemberProfile: Sendable, Equatable {
    public var sub: String
    public var name: String?
    public var givenName: String?
    public var familyName: String?
    public var email: String?
    public var emailVerified: Bool?
    public var phoneNumber: String?
    public var birthdate: String?
    /// The address claim as JSON, verbatim.
    public var addressJSON: String?

    public init(
        sub: String, name: String? = nil, givenName: String? = nil, familyName: String? = nil, email: String? = nil,
        emailVerified: Bool? = nil, phoneNumber: String? = nil, birthdate: String? = nil, addressJSON: String? = nil
    ) {
        self.sub = sub
        self.name = name
        self.givenName = givenName
        self.familyName = familyName
        self.email = email
        self.emailVerified = emailVerified
        self.phoneNumber = phoneNumber
        self.birthdate = birthdate
        self.addressJSON = addressJSON
    }
}

/// A member as stored: the profile and what Velkommen knows of their visits.
public struct Member: Sendable, Equatable {
    public var profile: MemberProfile
    /// The language the member chose, if any ("nb" or "en").
    public var language: String?
    public var firstStore: String?
    public var createdAt: Date
    public var lastLoginAt: Date
    public var loginCount: Int
    /// The number on the member card: given once, never reused after an erasure.
    public var memberNumber: Int = 0
}

/// Members, keyed by Vipps `sub`.
public struct MemberStore: Sendable {
    let pool: any DatabasePool

    public init(pool: any DatabasePool) { self.pool = pool }

    /// Creates the member or refreshes their profile, counting the login; returns the member after.
    @discardableResult
    public func recordLogin(_ profile: MemberProfile, store: String?, at time: Date = Date()) async throws -> Member {
        let member = try await pool.write { database in try Self.recordLogin(profile, store: store, at: time, in: database) }
        pool.memberChanges.changed(profile.sub)
        return member
    }

    /// As `recordLogin(_:store:at:)`, inside a caller's transaction.
    public static func recordLogin(_ profile: MemberProfile, store: String?, at time: Date, in database: any Database) throws -> Member {
        try database.execute(
            """
            INSERT INTO members (sub, name, given_name, family_name, email, email_verified, phone_number, birthdate,
                                 address_json, first_store, created_at, last_login_at, login_count)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
            ON CONFLICT (sub) DO UPDATE SET
                name = excluded.name, given_name = excluded.given_name, family_name = excluded.family_name,
                email = excluded.email, email_verified = excluded.email_verified, phone_number = excluded.phone_number,
                birthdate = excluded.birthdate, address_json = excluded.address_json,
                last_login_at = excluded.last_login_at, login_count = members.login_count + 1
            """,
            [
                profile.sub, profile.name, profile.givenName, profile.familyName, profile.email, profile.emailVerified,
                profile.phoneNumber, profile.birthdate, profile.addressJSON, store, time, time,
            ])
        guard let member = try find(sub: profile.sub, in: database) else {
            throw StorageError.unexpectedNull(column: "members.sub")
        }
        return member
    }

    public func find(sub: String) async throws -> Member? {
        try await pool.read { database in try Self.find(sub: sub, in: database) }
    }

    public static func find(sub: String, in database: any Database) throws -> Member? {
        try database.queryFirst(
            """
            SELECT sub, name, given_name, family_name, email, email_verified, phone_number, birthdate, address_json,
                   language, first_store, created_at, last_login_at, login_count, coalesce(member_number, 0)
            FROM members WHERE sub = ?
            """, [sub]
        ) { row in
            Member(
                profile: MemberProfile(
                    sub: try row[0], name: try row[1], givenName: try row[2], familyName: try row[3],
                    email: try row[4], emailVerified: try row[5], phoneNumber: try row[6],
                    birthdate: try row[7], addressJSON: try row[8]),
                language: try row[9], firstStore: try row[10], createdAt: try row[11], lastLoginAt: try row[12],
                loginCount: try row[13], memberNumber: try row[14])
        }
    }

    /// Whether a member with this phone number (`4712345678`) has answered marketing consents before:
    /// then a login started at the till does not ask again by default.
    public func hasConsentsOnRecord(phone: String) async throws -> Bool {
        try await pool.read { database in
            try database.scalar(
                """
                SELECT 1 FROM members m JOIN member_consents c ON c.member_sub = m.sub WHERE m.phone_number = ? LIMIT 1
                """, [phone], as: Int.self) != nil
        }
    }

    /// Records the member's language choice ("nb" or "en").
    public func setLanguage(_ language: String, sub: String) async throws {
        try await pool.write { database in
            try database.execute("UPDATE members SET language = ? WHERE sub = ?", [language, sub])
        }
        pool.memberChanges.changed(sub)
    }

    /// Erases the member: profile, answers, current consents and sessions go; consent receipts stay
    /// with the member's identity removed (the ledger is evidence of what was given); the phone
    /// numbers typed at the till for them are blanked; the merchant's systems hear `member.erased`
    /// (the member number only) from the same transaction, and the outbox forgets every earlier
    /// payload about them (none of it is sent, or sent again). Returns whether the member existed.
    @discardableResult
    public func delete(sub: String, at time: Date = Date()) async throws -> Bool {
        let existed = try await pool.write { database in
            guard let member = try Self.find(sub: sub, in: database) else { return false }
            try MemberEvents.enqueue("member.erased", member: member, consents: [:], at: time, in: database)
            try WebhookStore.eraseMember(memberKey: String(member.memberNumber), in: database)
            try database.execute("UPDATE login_requests SET phone_hint = '' WHERE member_sub = ?", [sub])
            try WalletPassStore.void(sub: sub, at: time, in: database)
            try database.execute("DELETE FROM members WHERE sub = ?", [sub])
            return database.changes > 0
        }
        pool.memberChanges.changed(sub)
        return existed
    }

    /// A page of the members who gave consent `consentID` (and have not had it reported revoked), in
    /// the order they joined, after the member `after` (join time, `sub`): keyset pagination, so an
    /// export of a million members never holds more than a page.
    public func consented(to consentID: String, after: (createdAt: Double, sub: String), limit: Int) async throws -> [ConsentedMember] {
        try await pool.read { database in
            try database.query(
                """
                SELECT m.created_at, m.sub, coalesce(m.name, ''), coalesce(m.email, ''), coalesce(m.phone_number, '') FROM member_consents c
                JOIN members m ON m.sub = c.member_sub
                WHERE c.consent_id = ? AND c.accepted AND c.revoked_reported_at IS NULL AND (m.created_at, m.sub) > (?, ?)
                ORDER BY m.created_at, m.sub LIMIT ?
                """, [consentID, after.createdAt, after.sub, limit]
            ) { row in
                ConsentedMember(createdAt: try row[0], sub: try row[1], name: try row[2], email: try row[3], phone: try row[4])
            }
        }
    }
}

/// A member in the consent export: what the customer club's mailing needs.
public struct ConsentedMember: Sendable, Equatable {
    public var createdAt: Date
    public var sub: String
    public var name: String
    public var email: String
    public var phone: String
}
