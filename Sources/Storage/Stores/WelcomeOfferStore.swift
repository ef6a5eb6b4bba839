import Foundation

/// A welcome offer's single-use code, as stored.
public struct WelcomeOffer: Sendable, Equatable {
    /// Eight characters without the dash (`K7QM4XRD`); shown as `K7QM-4XRD`.
    public var code: String
    /// The member's Vipps `sub`; nil once the member is erased.
    public var sub: String?
    public var loginRequestID: String?
    public var issuedAt: Date
    public var validUntil: Date
    public var redeemedAt: Date?
    public var redeemedStore: String?
    /// Who redeemed it: `key:<api key prefix>` or `store:<id>` (a till signed in another way).
    public var redeemedBy: String?

    public var shown: String { WelcomeOfferStore.grouped(code) }

    /// Usable at a till at `time`: not redeemed, not expired, the member not erased.
    public func isOpen(at time: Date) -> Bool { redeemedAt == nil && sub != nil && validUntil > time }
}

/// What happened to a redemption.
public enum OfferRedemption: Sendable, Equatable {
    /// Redeemed now, or (`again`) earlier by the same till: the same answer either way.
    case redeemed(WelcomeOffer, memberNumber: Int, again: Bool)
    /// Redeemed earlier by another till.
    case taken(WelcomeOffer)
    case unknown
    case expired(WelcomeOffer)
    case erased
}

/// The welcome offers: given in the landing's transaction, redeemed once by a till.
public struct WelcomeOfferStore: Sendable {
    let pool: any DatabasePool

    public init(pool: any DatabasePool) { self.pool = pool }

    /// No 0/O and no 1/I: a code read aloud or typed from a phone's screen has one reading.
    static let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")

    /// A fresh random code: 32⁸ ≈ 10¹² of them, so a collision (retried) is rare and a guess hopeless.
    static func newCode() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<8).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] })
    }

    public static func grouped(_ code: String) -> String { String(code.prefix(4)) + "-" + String(code.dropFirst(4)) }

    /// The code as typed or scanned (`k7qm-4xrd`, `K7QM 4XRD`), or nil when it cannot be one.
    public static func normalise(_ text: String) -> String? {
        let letters = text.uppercased().filter { !$0.isWhitespace && $0 != "-" }
        guard letters.count == 8, letters.allSatisfy(alphabet.contains) else { return nil }
        return letters
    }

    /// Gives the new member `sub` a code, inside the landing's transaction; nil when the offer is off.
    @discardableResult
    static func issue(sub: String, loginRequestID: String?, at time: Date, in database: any Database) throws -> WelcomeOffer? {
        let settings = try OfferSettingsStore.settings(in: database)
        guard settings.validDays > 0 else { return nil }
        let validUntil = time.addingTimeInterval(Double(settings.validDays) * 86400)
        for _ in 0..<5 {
            let code = newCode()
            // DO NOTHING, not an error: PostgreSQL would abort the whole landing on a failed INSERT.
            try database.execute(
                """
                INSERT INTO welcome_offers (code, member_sub, login_request_id, issued_at, valid_until) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING
                """, [code, sub, loginRequestID, time, validUntil])
            if database.changes > 0 {
                return WelcomeOffer(code: code, sub: sub, loginRequestID: loginRequestID, issuedAt: time, validUntil: validUntil)
            }
            if try database.scalar("SELECT 1 FROM welcome_offers WHERE member_sub = ?", [sub], as: Int.self) != nil { return nil }
        }
        throw StorageError.unexpectedNull(column: "welcome_offers.code")
    }

    public func find(code: String) async throws -> WelcomeOffer? {
        try await pool.read { database in try Self.find(where: "code = ?", code, in: database) }
    }

    /// The offer given in the login `id` (the till's and the API's status show it).
    public func find(loginRequestID id: String) async throws -> WelcomeOffer? {
        try await pool.read { database in try Self.find(where: "login_request_id = ?", id, in: database) }
    }

    public func find(member sub: String) async throws -> WelcomeOffer? {
        try await pool.read { database in try Self.find(where: "member_sub = ?", sub, in: database) }
    }

    static func find(where condition: String, _ value: String, in database: any Database) throws -> WelcomeOffer? {
        try database.queryFirst(
            """
            SELECT code, member_sub, login_request_id, issued_at, valid_until, redeemed_at, redeemed_store, redeemed_by
            FROM welcome_offers WHERE \(condition)
            """, [value]
        ) { row in
            WelcomeOffer(
                code: try row[0], sub: try row[1], loginRequestID: try row[2], issuedAt: try row[3], validUntil: try row[4],
                redeemedAt: try row[5], redeemedStore: try row[6], redeemedBy: try row[7])
        }
    }

    /// Redeems `code` for `store` by the till `by`. The database decides between two tills at once, on
    /// one instance or several: the UPDATE changes only a row no one has redeemed (the row's lock makes
    /// the second wait and then find it taken), and what it did is read back. The merchant's systems
    /// hear `offer.redeemed` from the same transaction.
    public func redeem(code: String, store: String, by till: String, at time: Date = Date()) async throws -> OfferRedemption {
        try await pool.write { database in
            try database.execute(
                """
                UPDATE welcome_offers SET redeemed_at = ?, redeemed_store = ?, redeemed_by = ?
                WHERE code = ? AND redeemed_at IS NULL AND member_sub IS NOT NULL AND valid_until > ?
                """, [time, store, till, code, time])
            let won = database.changes > 0
            guard let offer = try Self.find(where: "code = ?", code, in: database) else { return .unknown }
            if won {
                let number = try Self.memberNumber(offer.sub, in: database)
                try Self.enqueueRedeemed(offer, memberNumber: number, in: database)
                return .redeemed(offer, memberNumber: number, again: false)
            }
            // Not changed: redeemed before (by this till or another), the member erased, or expired.
            return try Self.settled(offer, by: till, in: database) ?? .expired(offer)
        }
    }

    /// The answer for an offer already redeemed or whose member is gone; nil when it is still open.
    static func settled(_ offer: WelcomeOffer, by till: String, in database: any Database) throws -> OfferRedemption? {
        guard let sub = offer.sub else { return .erased }
        guard offer.redeemedAt != nil else { return nil }
        guard offer.redeemedBy == till else { return .taken(offer) }
        return .redeemed(offer, memberNumber: try memberNumber(sub, in: database), again: true)
    }

    static func memberNumber(_ sub: String?, in database: any Database) throws -> Int {
        guard let sub else { return 0 }
        return try database.scalar("SELECT coalesce(member_number, 0) FROM members WHERE sub = ?", [sub], as: Int.self) ?? 0
    }

    /// `offer.redeemed`: the member number, the code, the store and the time; nothing else of the member.
    static func enqueueRedeemed(_ offer: WelcomeOffer, memberNumber: Int, in database: any Database) throws {
        let type = "offer.redeemed"
        guard try !WebhookStore.subscribers(of: type, in: database).isEmpty, let time = offer.redeemedAt else { return }
        let stamp = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        let data: [String: Any] = [
            "memberId": MemberNumber.digits(memberNumber), "code": offer.shown, "store": offer.redeemedStore ?? "",
            "redeemedAt": time.formatted(stamp),
        ]
        let object: [String: Any] = ["type": type, "timestamp": time.formatted(stamp), "data": data]
        let payload = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        try WebhookStore.enqueue(type: type, memberKey: String(memberNumber), payload: payload, at: time, in: database)
    }
}
