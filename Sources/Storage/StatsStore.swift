import Foundation

/// The merchant's numbers for a date range and optionally one store. Counts only; no personal data.
public struct SignupStats: Sendable, Equatable {
    public struct FunnelRow: Sendable, Equatable {
        public var store: String
        public var terminal: String
        public var started: Int
        public var confirmed: Int
        public var landed: Int
        public var completed: Int
        /// Median seconds from start to confirmation, confirmation to landing, landing to completion.
        public var medianToConfirm: Double?
        public var medianToLand: Double?
        public var medianToComplete: Double?
    }

    public var signupsPerDay: [(day: String, count: Int)]
    public var firstVisits: Int
    public var returningVisits: Int
    public var funnel: [FunnelRow]
    /// Per consent id: members who accepted, members asked.
    public var consents: [(id: String, accepted: Int, asked: Int)]
    /// Per question and value: members whose current answer it is.
    public var answers: [(question: String, value: String, count: Int)]
    public var phoneMismatches: Int
    public var revocations: Int

    public static func == (lhs: SignupStats, rhs: SignupStats) -> Bool {
        lhs.signupsPerDay.map { "\($0.day)=\($0.count)" } == rhs.signupsPerDay.map { "\($0.day)=\($0.count)" }
            && lhs.firstVisits == rhs.firstVisits && lhs.returningVisits == rhs.returningVisits && lhs.funnel == rhs.funnel
            && lhs.consents.map { "\($0.id)=\($0.accepted)/\($0.asked)" } == rhs.consents.map { "\($0.id)=\($0.accepted)/\($0.asked)" }
            && lhs.answers.map { "\($0.question)=\($0.value):\($0.count)" } == rhs.answers.map { "\($0.question)=\($0.value):\($0.count)" }
            && lhs.phoneMismatches == rhs.phoneMismatches && lhs.revocations == rhs.revocations
    }
}

/// Reads `SignupStats` in one read transaction (one consistent snapshot).
public struct StatsStore: Sendable {
    let pool: DatabasePool

    public init(pool: DatabasePool) { self.pool = pool }

    /// `from` inclusive, `to` exclusive; days are UTC dates.
    public func stats(from: Date, to: Date, store: String?) async throws -> SignupStats {
        try await pool.read { database in
            let storeFilter = store == nil ? "" : " AND first_store = ?3"
            let requestFilter = store == nil ? "" : " AND store = ?3"
            var arguments: [any SQLBindable] = [from, to]
            if let store { arguments.append(store) }

            let perDay = try database.query("""
                SELECT date(created_at, 'unixepoch') AS day, count(*) FROM members
                WHERE created_at >= ?1 AND created_at < ?2\(storeFilter) GROUP BY day ORDER BY day
                """, arguments) { (day: try $0[0] as String, count: try $0[1] as Int) }
            let firstVisits = perDay.reduce(0) { $0 + $1.count }
            let confirmedLogins = try database.scalar("""
                SELECT count(*) FROM login_requests WHERE confirmed_at >= ?1 AND confirmed_at < ?2\(requestFilter)
                """, arguments, as: Int.self) ?? 0

            var funnel: [SignupStats.FunnelRow] = []
            var current: SignupStats.FunnelRow?
            var toConfirm: [Double] = [], toLand: [Double] = [], toComplete: [Double] = []
            func finish() {
                guard var row = current else { return }
                row.medianToConfirm = Self.median(&toConfirm)
                row.medianToLand = Self.median(&toLand)
                row.medianToComplete = Self.median(&toComplete)
                funnel.append(row)
                toConfirm = []; toLand = []; toComplete = []
            }
            // One ordered pass: counts and the step durations for the medians.
            _ = try database.query("""
                SELECT store, coalesce(terminal, ''), created_at, confirmed_at, landed_at, completed_at FROM login_requests
                WHERE created_at >= ?1 AND created_at < ?2 AND auth_req_id IS NOT NULL\(requestFilter)
                ORDER BY store, coalesce(terminal, '')
                """, arguments) { row -> Void in
                let store: String = try row[0], terminal: String = try row[1]
                if current?.store != store || current?.terminal != terminal {
                    finish()
                    current = SignupStats.FunnelRow(store: store, terminal: terminal, started: 0, confirmed: 0, landed: 0, completed: 0)
                }
                let created: Double = try row[2]
                let confirmed: Double? = try row[3], landed: Double? = try row[4], completed: Double? = try row[5]
                current!.started += 1
                if let confirmed { current!.confirmed += 1; toConfirm.append(confirmed - created) }
                if let landed { current!.landed += 1; if let confirmed { toLand.append(landed - confirmed) } }
                if let completed { current!.completed += 1; if let landed { toComplete.append(completed - landed) } }
            }
            finish()

            let consents = try database.query("""
                SELECT c.consent_id, sum(c.accepted), count(*) FROM member_consents c JOIN members m ON m.sub = c.member_sub
                WHERE c.changed_at >= ?1 AND c.changed_at < ?2\(storeFilter.replacingOccurrences(of: "first_store", with: "m.first_store"))
                GROUP BY c.consent_id ORDER BY c.consent_id
                """, arguments) { (id: try $0[0] as String, accepted: try $0[1] as Int, asked: try $0[2] as Int) }
            let answers = try database.query("""
                SELECT a.question, a.value, count(*) FROM answers a JOIN members m ON m.sub = a.member_sub
                WHERE a.answered_at >= ?1 AND a.answered_at < ?2\(storeFilter.replacingOccurrences(of: "first_store", with: "m.first_store"))
                  AND a.answered_at = (SELECT max(answered_at) FROM answers WHERE member_sub = a.member_sub AND question = a.question)
                GROUP BY a.question, a.value ORDER BY a.question, count(*) DESC
                """, arguments) { (question: try $0[0] as String, value: try $0[1] as String, count: try $0[2] as Int) }
            let mismatches = try database.scalar("""
                SELECT count(*) FROM login_requests WHERE phone_mismatch = 1 AND created_at >= ?1 AND created_at < ?2\(requestFilter)
                """, arguments, as: Int.self) ?? 0
            let revocations = try database.scalar("""
                SELECT count(DISTINCT c.member_sub) FROM member_consents c JOIN members m ON m.sub = c.member_sub
                WHERE c.revoked_reported_at >= ?1 AND c.revoked_reported_at < ?2\(storeFilter.replacingOccurrences(of: "first_store", with: "m.first_store"))
                """, arguments, as: Int.self) ?? 0
            return SignupStats(signupsPerDay: perDay, firstVisits: firstVisits, returningVisits: max(0, confirmedLogins - firstVisits),
                               funnel: funnel, consents: consents, answers: answers, phoneMismatches: mismatches, revocations: revocations)
        }
    }

    /// The stores that have login requests, for the filter.
    public func stores() async throws -> [String] {
        try await pool.read { database in try database.query("SELECT DISTINCT store FROM login_requests ORDER BY store") { try $0[0] as String } }
    }

    static func median(_ values: inout [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        values.sort()
        let middle = values.count / 2
        return values.count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2
    }
}
