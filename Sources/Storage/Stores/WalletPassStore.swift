import Foundation

/// One member card in a phone's wallet.
public struct WalletPass: Sendable, Equatable {
    public var serial: String
    /// Nil once the member is erased: the pass is then void.
    public var sub: String?
    /// A hash of what the pass shows; when it changes, the pass is updated.
    public var contentKey: String
    public var updatedAt: Date
    public var voidedAt: Date?
}

/// The wallet passes issued and the devices registered for their updates (Apple's PassKit web
/// service). A member has one pass, issued again with the same serial when it changes.
public struct WalletPassStore: Sendable {
    public let pool: any DatabasePool

    public init(pool: any DatabasePool) { self.pool = pool }

    /// The member's pass, created with `serial` when there is none yet.
    public func pass(forMember sub: String, newSerial serial: String, contentKey: String, at time: Date = Date()) async throws -> WalletPass {
        try await pool.write { database in
            try database.execute(
                "INSERT INTO wallet_passes (serial, member_sub, content_key, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (member_sub) DO NOTHING",
                [serial, sub, contentKey, time])
            return try Self.find(sql: "member_sub = ?", sub, in: database)!
        }
    }

    public func find(serial: String) async throws -> WalletPass? {
        try await pool.read { database in try Self.find(sql: "serial = ?", serial, in: database) }
    }

    /// Notes what the pass shows now: a different `contentKey` makes it updated at `time` (listed to
    /// the devices that registered for it). Returns the pass as it is afterwards.
    /// A change moves the time on by at least a whole second: devices compare `Last-Modified`, which
    /// has seconds only, and must not take a second change within one second for the first.
    public func noteContent(serial: String, contentKey: String, at time: Date = Date()) async throws -> WalletPass? {
        try await pool.write { database in
            guard let pass = try Self.find(sql: "serial = ?", serial, in: database) else { return nil }
            guard pass.contentKey != contentKey else { return pass }
            let next = max(time.timeIntervalSince1970, pass.updatedAt.timeIntervalSince1970.rounded(.down) + 1)
            try database.execute("UPDATE wallet_passes SET content_key = ?, updated_at = ? WHERE serial = ?", [contentKey, next, serial])
            return try Self.find(sql: "serial = ?", serial, in: database)
        }
    }

    /// Registers a device for a pass's updates; false when it was registered already.
    public func register(device: String, serial: String, pushToken: String, at time: Date = Date()) async throws -> Bool {
        try await pool.write { database in
            try database.execute(
                """
                INSERT INTO wallet_registrations (device_id, serial, push_token, created_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (device_id, serial) DO NOTHING
                """, [device, serial, pushToken, time])
            return database.changes > 0
        }
    }

    /// False when there was no such registration.
    public func unregister(device: String, serial: String) async throws -> Bool {
        try await pool.write { database in
            try database.execute("DELETE FROM wallet_registrations WHERE device_id = ? AND serial = ?", [device, serial])
            return database.changes > 0
        }
    }

    /// The passes a device registered for, with the member each belongs to (nil when erased).
    public func registered(device: String) async throws -> [WalletPass] {
        try await pool.read { database in
            try database.query(
                """
                SELECT p.serial, p.member_sub, p.content_key, p.updated_at, p.voided_at FROM wallet_registrations r
                JOIN wallet_passes p ON p.serial = r.serial WHERE r.device_id = ? ORDER BY p.serial
                """, [device], Self.pass)
        }
    }

    /// Erasure: the member's pass is void and no longer theirs; the devices that hold it are told.
    static func void(sub: String, at time: Date, in database: any Database) throws {
        guard let pass = try find(sql: "member_sub = ?", sub, in: database) else { return }
        let next = max(time.timeIntervalSince1970, pass.updatedAt.timeIntervalSince1970.rounded(.down) + 1)
        try database.execute(
            "UPDATE wallet_passes SET member_sub = NULL, voided_at = ?, updated_at = ?, content_key = 'void' WHERE serial = ?",
            [time, next, pass.serial])
    }

    static func find(sql condition: String, _ value: String, in database: any Database) throws -> WalletPass? {
        try database.queryFirst(
            "SELECT serial, member_sub, content_key, updated_at, voided_at FROM wallet_passes WHERE \(condition)", [value], pass)
    }

    static func pass(_ row: Row) throws -> WalletPass {
        WalletPass(serial: try row[0], sub: try row[1], contentKey: try row[2], updatedAt: try row[3], voidedAt: try row[4])
    }
}
