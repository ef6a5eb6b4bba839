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

    /// Deliveries due now, oldest event first (the caller keeps each member's order: `oldestPending`).
    public func due(at time: Date = Date(), limit: Int = 500) async throws -> [WebhookDelivery] {
        try await pool.read { database in
            try database.query(
                """
                SELECT d.event, e.event_id, e.type, e.payload, e.created_at, d.attempts, d.member_key,
                       p.id, p.url, p.secret, p.events, p.enabled, p.failing_since
                FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event JOIN webhook_endpoints p ON p.id = d.endpoint
                WHERE d.status = 'pending' AND d.next_at <= ? AND p.enabled
                ORDER BY d.event LIMIT ?
                """, [time, limit]
            ) { row in
                WebhookDelivery(
                    event: try row[0], eventID: try row[1], type: try row[2], payload: try row[3], createdAt: try row[4],
                    endpoint: WebhookEndpoint(
                        id: try row[7], url: try row[8], secret: try row[9],
                        events: Set((try row[10] as String).split(separator: ",").map(String.init)),
                        enabled: try row[11], failingSince: try row[12]),
                    attempts: try row[5], memberKey: try row[6])
            }
        }
    }

    /// The oldest event still pending for this member at this endpoint: only it may be sent now.
    public func oldestPending(endpoint: Int64, memberKey: String) async throws -> Int64? {
        try await pool.read { database in
            try database.scalar(
                "SELECT min(event) FROM webhook_deliveries WHERE endpoint = ? AND member_key = ? AND status = 'pending'",
                [endpoint, memberKey], as: Int64.self)
        }
    }

    public func delivered(event: Int64, endpoint: Int64, status: Int, at time: Date = Date()) async throws {
        try await pool.write { database in
            try database.execute(
                """
                UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_status = ?, last_error = NULL, delivered_at = ?
                WHERE event = ? AND endpoint = ?
                """, [status, time, event, endpoint])
            try database.execute("UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ?", [endpoint])
        }
    }

    /// A failed attempt: tried again at `retryAt`, or given up (`retryAt` nil). The endpoint is marked
    /// failing from its first error until a delivery succeeds.
    public func attemptFailed(event: Int64, endpoint: Int64, status: Int?, error: String, retryAt: Date?, at time: Date = Date()) async throws {
        try await pool.write { database in
            try database.execute(
                """
                UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = ?, last_error = ?, next_at = coalesce(?, next_at),
                    status = CASE WHEN ? IS NULL THEN 'failed' ELSE 'pending' END
                WHERE event = ? AND endpoint = ?
                """, [status, error, retryAt, retryAt, event, endpoint])
            try database.execute("UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, ?) WHERE id = ?", [time, endpoint])
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
