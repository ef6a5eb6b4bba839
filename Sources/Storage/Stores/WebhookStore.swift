import Foundation

/// A merchant's webhook endpoint.
public struct WebhookEndpoint: Sendable, Equatable {
    public var id: Int64
    public var url: String
    /// `whsec_` and the base64 key, as Standard Webhooks writes it.
    public var secret: String
    public var events: Set<String>
    public var enabled: Bool
    public var failingSince: Date?
}

/// One delivery that is due: the event, the endpoint, and how often it was tried.
public struct WebhookDelivery: Sendable {
    public var event: Int64
    public var eventID: String
    public var type: String
    public var payload: String
    public var createdAt: Date
    public var endpoint: WebhookEndpoint
    public var attempts: Int
    public var memberKey: String
    /// When it was due (put back there when a claimed delivery was not sent after all).
    public var nextAt: Date
}

/// How one claimed delivery ended.
public enum DeliveryOutcome: Sendable, Equatable {
    /// A 2xx answer.
    case delivered(status: Int)
    /// Any other answer (`status`) or none; tried again at `retryAt`, or given up when nil.
    case failed(status: Int?, error: String, retryAt: Date?)
    /// Claimed but never sent (the endpoint had just failed, or the server stopped): the claim is undone.
    case notSent
}

/// Webhooks out: endpoints, the outbox of events, and their deliveries.
public struct WebhookStore: Sendable {
    public let pool: any DatabasePool

    public init(pool: any DatabasePool) { self.pool = pool }

    public func add(url: String, secret: String, events: Set<String>, at time: Date = Date()) async throws -> Int64 {
        try await pool.write { database in
            guard
                let id: Int64 = try database.scalar(
                    "INSERT INTO webhook_endpoints (url, secret, events, created_at) VALUES (?, ?, ?, ?) RETURNING id",
                    [url, secret, events.sorted().joined(separator: ","), time])
            else {
                throw StorageError.unexpectedNull(column: "webhook_endpoints.id")
            }
            return id
        }
    }

    public func endpoints() async throws -> [WebhookEndpoint] {
        try await pool.read { database in try database.query(Self.endpointSelect + " ORDER BY id", [], Self.endpoint) }
    }

    public func remove(id: Int64) async throws -> Bool {
        try await pool.write { database in
            try database.execute("DELETE FROM webhook_endpoints WHERE id = ?", [id])
            return database.changes > 0
        }
    }

    /// Writes an event to the outbox inside the caller's transaction, with a delivery for every enabled
    /// endpoint that wants its type: it is committed, or lost, together with the change it reports.
    public static func enqueue(type: String, memberKey: String, payload: String, at time: Date, in database: any Database) throws {
        let endpoints = try subscribers(of: type, in: database)
        guard !endpoints.isEmpty else { return }
        let eventID = "msg_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        guard
            let event: Int64 = try database.scalar(
                "INSERT INTO webhook_events (event_id, type, member_key, payload, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                [eventID, type, memberKey, payload, time])
        else {
            throw StorageError.unexpectedNull(column: "webhook_events.id")
        }
        for endpoint in endpoints {
            try database.execute(
                "INSERT INTO webhook_deliveries (event, endpoint, member_key, next_at) VALUES (?, ?, ?, ?)",
                [event, endpoint, memberKey, time])
        }
    }

    /// The enabled endpoints that want events of `type`: none means nothing to write (and no payload to build).
    public static func subscribers(of type: String, in database: any Database) throws -> [Int64] {
        try database.query("SELECT id, events FROM webhook_endpoints WHERE enabled", []) { row in
            (try row[0] as Int64, try row[1] as String)
        }.filter { $0.1.split(separator: ",").contains { $0 == type } }.map(\.0)
    }

    /// The enabled endpoints that have a delivery due now.
    public func endpointsWithDueDeliveries(at time: Date = Date()) async throws -> [WebhookEndpoint] {
        try await pool.read { database in
            try database.query(
                Self.endpointSelect + """
                     WHERE enabled AND EXISTS (
                        SELECT 1 FROM webhook_deliveries d WHERE d.endpoint = webhook_endpoints.id AND d.status = 'pending' AND d.next_at <= ?)
                    ORDER BY id
                    """, [time], Self.endpoint)
        }
    }

    /// One endpoint's deliveries that may go now, oldest event first: due, and not behind an older
    /// event of the same member that is still waiting (for its retry, or in flight). A member's
    /// deliveries here go out in this order, each after the one before succeeded.
    public func due(endpoint: Int64, at time: Date = Date(), limit: Int = 500) async throws -> [WebhookDelivery] {
        try await pool.read { database in
            try database.query(
                """
                SELECT d.event, e.event_id, e.type, e.payload, e.created_at, d.attempts, d.member_key,
                       p.id, p.url, p.secret, p.events, p.enabled, p.failing_since, d.next_at
                FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event JOIN webhook_endpoints p ON p.id = d.endpoint
                WHERE d.endpoint = ? AND d.status = 'pending' AND d.next_at <= ? AND p.enabled
                  AND NOT EXISTS (
                    SELECT 1 FROM webhook_deliveries o
                    WHERE o.endpoint = d.endpoint AND o.member_key = d.member_key AND o.status = 'pending' AND o.event < d.event AND o.next_at > ?)
                ORDER BY d.event LIMIT ?
                """, [endpoint, time, time, limit]
            ) { row in
                WebhookDelivery(
                    event: try row[0], eventID: try row[1], type: try row[2], payload: try row[3], createdAt: try row[4],
                    endpoint: WebhookEndpoint(
                        id: try row[7], url: try row[8], secret: try row[9],
                        events: Set((try row[10] as String).split(separator: ",").map(String.init)),
                        enabled: try row[11], failingSince: try row[12]),
                    attempts: try row[5], memberKey: try row[6], nextAt: try row[13])
            }
        }
    }

    /// Records an attempt for each delivery before it is sent, in one transaction: one more attempt,
    /// and the next try at its `retryAt` as if it failed, so a crash mid-send counts as a failed attempt
    /// with its backoff. Returns the deliveries claimed: those still due and not behind an older event
    /// of their member claimed by someone else meanwhile (another instance), in event order.
    public func claim(_ deliveries: [(delivery: WebhookDelivery, retryAt: Date)], at time: Date = Date()) async throws -> [WebhookDelivery] {
        try await pool.write { database in
            var claimed: [WebhookDelivery] = []
            // Newest first: a member's later event is claimed while its earlier one still counts as due,
            // and not at all when the earlier one was claimed elsewhere.
            for (delivery, retryAt) in deliveries.sorted(by: { $0.delivery.event > $1.delivery.event }) {
                try database.execute(
                    """
                    UPDATE webhook_deliveries SET attempts = attempts + 1, next_at = ?
                    WHERE event = ? AND endpoint = ? AND status = 'pending' AND next_at <= ?
                      AND NOT EXISTS (
                        SELECT 1 FROM webhook_deliveries o
                        WHERE o.endpoint = ? AND o.member_key = ? AND o.status = 'pending' AND o.event < ? AND o.next_at > ?)
                    """,
                    [
                        retryAt, delivery.event, delivery.endpoint.id, time, delivery.endpoint.id, delivery.memberKey, delivery.event,
                        time,
                    ])
                if database.changes > 0 { claimed.append(delivery) }
            }
            return claimed.reversed()
        }
    }

    /// What became of claimed deliveries, in one transaction. The endpoint is marked failing from its
    /// first error until a delivery succeeds.
    public func record(_ outcomes: [(delivery: WebhookDelivery, outcome: DeliveryOutcome)], at time: Date = Date()) async throws {
        guard let endpoint = outcomes.first?.delivery.endpoint.id else { return }
        try await pool.write { database in
            var succeeded = false
            var failed = false
            for (delivery, outcome) in outcomes {
                switch outcome {
                case .delivered(let status):
                    succeeded = true
                    try database.execute(
                        """
                        UPDATE webhook_deliveries SET status = 'delivered', last_status = ?, last_error = NULL, delivered_at = ?
                        WHERE event = ? AND endpoint = ?
                        """, [status, time, delivery.event, delivery.endpoint.id])
                case .failed(let status, let error, let retryAt):
                    failed = true
                    try database.execute(
                        """
                        UPDATE webhook_deliveries SET last_status = ?, last_error = ?, next_at = coalesce(?, next_at),
                            status = CASE WHEN ? THEN 'pending' ELSE 'failed' END
                        WHERE event = ? AND endpoint = ? AND status = 'pending'
                        """, [status, error, retryAt, retryAt != nil, delivery.event, delivery.endpoint.id])
                case .notSent:
                    try database.execute(
                        "UPDATE webhook_deliveries SET attempts = attempts - 1, next_at = ? WHERE event = ? AND endpoint = ? AND status = 'pending'",
                        [delivery.nextAt, delivery.event, delivery.endpoint.id])
                }
            }
            if succeeded {
                try database.execute("UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ?", [endpoint])
            } else if failed {
                try database.execute("UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, ?) WHERE id = ?", [time, endpoint])
            }
        }
    }

    public func setEnabled(id: Int64, _ enabled: Bool) async throws {
        try await pool.write { database in try database.execute("UPDATE webhook_endpoints SET enabled = ? WHERE id = ?", [enabled, id]) }
    }

    /// The newest deliveries to an endpoint, for its page.
    public func recentDeliveries(
        endpoint: Int64, limit: Int = 50
    ) async throws -> [(
        event: Int64, eventID: String, type: String, status: String,
        attempts: Int, lastStatus: Int?, lastError: String?, at: Date
    )] {
        try await pool.read { database in
            try database.query(
                """
                SELECT d.event, e.event_id, e.type, d.status, d.attempts, d.last_status, d.last_error, coalesce(d.delivered_at, d.next_at)
                FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event WHERE d.endpoint = ? ORDER BY d.event DESC LIMIT ?
                """, [endpoint, limit]
            ) { row in
                (try row[0], try row[1], try row[2], try row[3], try row[4], try row[5], try row[6], try row[7])
            }
        }
    }

    /// What a resend came to.
    public enum Resend: Sendable, Equatable {
        case resent
        case notFound
        /// The event is about a member who has since been erased: its payload is gone, and sending it
        /// again would tell the merchant's systems about someone who asked to be forgotten.
        case memberErased
    }

    /// Sends a delivery again (a delivered or given-up one too), now; never an erased member's event.
    public func resend(event: Int64, endpoint: Int64, at time: Date = Date()) async throws -> Resend {
        try await pool.write { database in
            guard
                let payload = try database.queryFirst(
                    "SELECT e.payload FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event WHERE d.event = ? AND d.endpoint = ?",
                    [event, endpoint], { try $0[0] as String })
            else { return .notFound }
            guard payload != Self.erasedPayload else { return .memberErased }
            try database.execute(
                "UPDATE webhook_deliveries SET status = 'pending', next_at = ? WHERE event = ? AND endpoint = ?", [time, event, endpoint])
            return .resent
        }
    }

    /// Retention of the outbox: deletes the events older than `time` that wait for no delivery (each was
    /// delivered, or given up after three days of tries), with their deliveries. A payload copies what a
    /// member gave (name, e-mail, answers); it must not outlive the data it was copied from.
    @discardableResult
    public func purgeSettled(before time: Date) async throws -> Int {
        try await pool.write { database in
            try database.execute(
                """
                DELETE FROM webhook_events WHERE created_at < ?
                AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event = webhook_events.id AND d.status = 'pending')
                """, [time])
            return database.changes
        }
    }

    /// What an erased member's earlier events keep of their payload: nothing.
    public static let erasedPayload = ""

    /// Erasure, inside the caller's transaction: every earlier event about the member (`memberKey`) loses
    /// its payload (name, e-mail, phone, answers), and its deliveries still waiting are given up, so
    /// that only `member.erased` (the member number alone) is sent from now on.
    static func eraseMember(memberKey: String, keeping type: String = "member.erased", in database: any Database) throws {
        try database.execute(
            "UPDATE webhook_events SET payload = ? WHERE member_key = ? AND type <> ? AND payload <> ?",
            [erasedPayload, memberKey, type, erasedPayload])
        try database.execute(
            """
            UPDATE webhook_deliveries SET status = 'failed', last_error = 'member erased'
            WHERE member_key = ? AND status = 'pending' AND event IN (SELECT id FROM webhook_events WHERE member_key = ? AND type <> ?)
            """, [memberKey, memberKey, type])
    }

    private static let endpointSelect = "SELECT id, url, secret, events, enabled, failing_since FROM webhook_endpoints"

    private static func endpoint(_ row: Row) throws -> WebhookEndpoint {
        WebhookEndpoint(
            id: try row[0], url: try row[1], secret: try row[2], events: Set((try row[3] as String).split(separator: ",").map(String.init)),
            enabled: try row[4], failingSince: try row[5])
    }
}
