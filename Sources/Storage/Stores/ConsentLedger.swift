import Foundation

/// One consent receipt.
public struct ConsentReceipt: Sendable, Equatable {
    public var id: Int64
    public var source: String
    public var payload: String
    public var recordedAt: Date
    public var entryHash: String
}

/// A member's current answer to one consent.
public struct ConsentState: Sendable, Equatable {
    public var consentID: String
    public var accepted: Bool
    public var changedAt: Date
    public var revokedReportedAt: Date?
    /// The words the customer saw in Vipps, when Vipps sent them.
    public var text: String?
    /// The id Vipps sent, when the merchant's own flow named the consent otherwise (`customFlow`).
    public var vippsID: String?
    /// Where the checkbox stood: the screen's title, description and terms links (JSON).
    public var contextJSON: String?

    public init(
        consentID: String, accepted: Bool, changedAt: Date, revokedReportedAt: Date? = nil, text: String? = nil, vippsID: String? = nil,
        contextJSON: String? = nil
    ) {
        self.consentID = consentID
        self.accepted = accepted
        self.changedAt = changedAt
        self.revokedReportedAt = revokedReportedAt
        self.text = text
        self.vippsID = vippsID
        self.contextJSON = contextJSON
    }
}

/// One consent as a login reported it: our id for it (a channel such as `email`, or the merchant's
/// own id when it maps to none), the answer, and what the customer was shown.
public struct ConsentAnswer: Sendable, Equatable {
    public var id: String
    public var accepted: Bool
    public var text: String?
    public var vippsID: String?
    public var contextJSON: String?

    public init(id: String, accepted: Bool, text: String? = nil, vippsID: String? = nil, contextJSON: String? = nil) {
        self.id = id
        self.accepted = accepted
        self.text = text
        self.vippsID = vippsID
        self.contextJSON = contextJSON
    }
}

/// The consent ledger: receipts only ever appended, each chained to the one before by hash, and the
/// current state per member and consent derived from them.
public struct ConsentLedger: Sendable {
    public let pool: any DatabasePool
    /// SHA-256 as lowercase hex (Storage does not link a crypto library; the app passes one in).
    let hash: @Sendable (String) -> String

    public init(pool: any DatabasePool, hash: @escaping @Sendable (String) -> String) {
        self.pool = pool
        self.hash = hash
    }

    /// Appends a receipt inside the caller's transaction and updates the member's current consents.
    /// Returns the consents whose answer this changed (one the member had given otherwise before), so
    /// that nobody's consent changes without them being told.
    @discardableResult
    public func append(
        sub: String, source: String, payload: String, consents: [String: Bool], loginRequestID: String?,
        at time: Date, in database: any Database
    ) throws -> [String: Bool] {
        try append(
            sub: sub, source: source, payload: payload, answers: consents.map { ConsentAnswer(id: $0.key, accepted: $0.value) },
            loginRequestID: loginRequestID, at: time, in: database)
    }

    @discardableResult
    public func append(
        sub: String, source: String, payload: String, answers: [ConsentAnswer], loginRequestID: String?,
        at time: Date, in database: any Database
    ) throws -> [String: Bool] {
        let before = try Self.stored(sub: sub, in: database)
        let previous = try database.scalar("SELECT entry_hash FROM consent_receipts ORDER BY id DESC LIMIT 1", as: String.self) ?? "genesis"
        let subjectHash = hash("member:" + sub)
        let entryHash = hash([previous, subjectHash, source, payload, String(time.timeIntervalSince1970)].joined(separator: "\n"))
        try database.execute(
            """
            INSERT INTO consent_receipts (member_sub, subject_hash, source, payload, login_request_id, recorded_at, previous_hash, entry_hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [sub, subjectHash, source, payload, loginRequestID, time, previous, entryHash])
        // What Vipps reported is remembered apart from the member's own choice on their page.
        let fromVipps = source == "login"
        for answer in answers {
            try database.execute(
                """
                INSERT INTO member_consents (member_sub, consent_id, accepted, changed_at, text_shown, vipps_id, context_json, vipps_accepted)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (member_sub, consent_id) DO UPDATE SET accepted = excluded.accepted, changed_at = excluded.changed_at,
                    revoked_reported_at = NULL, text_shown = coalesce(excluded.text_shown, member_consents.text_shown),
                    vipps_id = coalesce(excluded.vipps_id, member_consents.vipps_id),
                    context_json = coalesce(excluded.context_json, member_consents.context_json),
                    vipps_accepted = coalesce(excluded.vipps_accepted, member_consents.vipps_accepted)
                """,
                [sub, answer.id, answer.accepted, time, answer.text, answer.vippsID, answer.contextJSON, fromVipps ? answer.accepted : nil])
        }
        return Dictionary(
            answers.compactMap { answer in before[answer.id].flatMap { $0.accepted != answer.accepted ? (answer.id, answer.accepted) : nil } },
            uniquingKeysWith: { _, last in last })
    }

    /// A login's consents compared with what Vipps reported before: only what differs is recorded (an
    /// answer Vipps had not reported, another answer, or other words shown), in one receipt with the
    /// object as received. Vipps may repeat remembered consents on every login or send them only the
    /// first time (both readings exist); a repeat changes nothing, so the member's own later choice on
    /// their page stands, and an absent object (the caller does not call this) changes nothing either.
    /// Returns the consents whose current answer this changed.
    @discardableResult
    public func recordFromVipps(
        sub: String, payload: String, answers: [ConsentAnswer], loginRequestID: String?, at time: Date, in database: any Database
    ) throws -> [String: Bool] {
        let before = try Self.stored(sub: sub, in: database)
        let news = answers.filter { answer in
            guard let stored = before[answer.id] else { return true }
            if (stored.vippsAccepted ?? stored.accepted) != answer.accepted { return true }
            if let text = answer.text, text != stored.text { return true }
            return false
        }
        guard !news.isEmpty else { return [:] }
        return try append(sub: sub, source: "login", payload: payload, answers: news, loginRequestID: loginRequestID, at: time, in: database)
    }

    struct Stored {
        var accepted: Bool
        var vippsAccepted: Bool?
        var text: String?
    }

    static func stored(sub: String, in database: any Database) throws -> [String: Stored] {
        Dictionary(
            try database.query("SELECT consent_id, accepted, vipps_accepted, text_shown FROM member_consents WHERE member_sub = ?", [sub]) { row in
                (try row[0] as String, Stored(accepted: try row[1], vippsAccepted: try row[2], text: try row[3]))
            }, uniquingKeysWith: { first, _ in first })
    }

    /// The member's own act on their page: one consent given or withdrawn, kept as a receipt (`source`
    /// `member`) with `payload` and told to the merchant's systems, committed before this returns.
    public func recordOwnChoice(sub: String, consentID: String, accepted: Bool, payload: String, at time: Date = Date()) async throws {
        try await pool.write { database in
            try append(sub: sub, source: "member", payload: payload, consents: [consentID: accepted], loginRequestID: nil, at: time, in: database)
            try MemberEvents.enqueue("member.consents_changed", sub: sub, at: time, in: database)
        }
        pool.memberChanges.changed(sub)
    }

    /// What a `CONSENT_REVOKED` report changed.
    public enum RevocationOutcome: Sendable, Equatable {
        /// No such member, or none of the named consents is one the member gave: nothing written.
        case unknown
        /// Every named consent was already reported revoked: nothing written (repeats collapse).
        case alreadyReported
        /// These consents are now marked reported revoked, with one receipt.
        case recorded([String])
    }

    /// `CONSENT_REVOKED` is an unsigned hint, so it writes only what is ours already: it marks the
    /// member's known consents (those named, or all of them when none are) as reported revoked, and
    /// keeps a receipt of the ids and the time, never text from the token. Deletes nothing. A report
    /// that would change nothing writes nothing, so a flood of them cannot grow the ledger.
    public func reportRevoked(sub: String, consentIDs: [String]?, at time: Date = Date()) async throws -> RevocationOutcome {
        let outcome = try await pool.write { database -> RevocationOutcome in
            let open = try database.query("SELECT consent_id, revoked_reported_at IS NULL FROM member_consents WHERE member_sub = ?", [sub]) { row in
                (try row[0] as String, try row[1] as Bool)
            }
            let named = consentIDs.map(Set.init)
            let known = open.filter { named?.contains($0.0) ?? true }
            guard !known.isEmpty else { return .unknown }
            let marked = known.filter(\.1).map(\.0).sorted()
            guard !marked.isEmpty else { return .alreadyReported }
            let object: [String: Any] = ["event": "CONSENT_REVOKED", "consents": marked]
            let payload = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
            try append(sub: sub, source: "webhook", payload: payload, consents: [:], loginRequestID: nil, at: time, in: database)
            for id in marked {
                try database.execute("UPDATE member_consents SET revoked_reported_at = ? WHERE member_sub = ? AND consent_id = ?", [time, sub, id])
            }
            try MemberEvents.enqueue("member.consents_changed", sub: sub, at: time, in: database)
            return .recorded(marked)
        }
        if case .recorded = outcome { pool.memberChanges.changed(sub) }
        return outcome
    }

    public func receipts(sub: String) async throws -> [ConsentReceipt] {
        try await pool.read { database in
            try database.query("SELECT id, source, payload, recorded_at, entry_hash FROM consent_receipts WHERE member_sub = ? ORDER BY id", [sub]) {
                row in
                ConsentReceipt(id: try row[0], source: try row[1], payload: try row[2], recordedAt: try row[3], entryHash: try row[4])
            }
        }
    }

    public func current(sub: String) async throws -> [ConsentState] {
        try await pool.read { database in try Self.current(sub: sub, in: database) }
    }

    static func current(sub: String, in database: any Database) throws -> [ConsentState] {
        try database.query(
            """
            SELECT consent_id, accepted, changed_at, revoked_reported_at, text_shown, vipps_id, context_json FROM member_consents
            WHERE member_sub = ? ORDER BY consent_id
            """, [sub]
        ) { row in
            ConsentState(
                consentID: try row[0], accepted: try row[1], changedAt: try row[2], revokedReportedAt: try row[3], text: try row[4],
                vippsID: try row[5], contextJSON: try row[6])
        }
    }

    /// Recomputes the chain; the id of the first receipt whose hash does not match, or nil when intact.
    public func firstBrokenLink() async throws -> Int64? {
        let rows = try await pool.read { database in
            try database.query("SELECT id, subject_hash, source, payload, recorded_at, previous_hash, entry_hash FROM consent_receipts ORDER BY id") {
                row in
                (
                    try row[0] as Int64, try row[1] as String, try row[2] as String, try row[3] as String, try row[4] as Double,
                    try row[5] as String, try row[6] as String
                )
            }
        }
        var previous = "genesis"
        for row in rows {
            let expected = hash(
                [previous, row.1, row.2, row.3, String(Date(timeIntervalSince1970: row.4).timeIntervalSince1970)].joined(separator: "\n"))
            if row.5 != previous || row.6 != expected { return row.0 }
            previous = row.6
        }
        return nil
    }
}
