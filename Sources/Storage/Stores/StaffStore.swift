import Foundation

/// A member of staff and what they may do.
public struct StaffMember: Sendable, Equatable {
    public enum Role: String, Sendable, CaseIterable {
        /// Everything, including staff and the audit log.
        case admin
        /// The content editor.
        case marketing
        /// Statistics and exports.
        case merchant
        /// The till page.
        case pos
    }

    public var id: Int64
    public var phone: String
    public var sub: String?
    public var role: Role
    public var name: String?
}

/// A staff session, found by the hash of its cookie.
public struct StaffSession: Sendable, Equatable {
    public var staff: StaffMember
    public var csrfToken: String
}

/// One audit entry.
public struct AuditEntry: Sendable, Equatable {
    public var staffName: String
    public var action: String
    public var detail: String
    public var at: Date
}

/// Staff, their sessions, and the audit log.
public struct StaffStore: Sendable {
    let pool: any DatabasePool

    public init(pool: any DatabasePool) { self.pool = pool }

    /// Adds staff by phone (`47XXXXXXXX`), or changes the role of staff with that phone.
    @discardableResult
    public func add(phone: String, role: StaffMember.Role, at time: Date = Date()) async throws -> StaffMember {
        try await pool.write { database in
            try database.execute(
                """
                INSERT INTO staff (phone, role, created_at) VALUES (?, ?, ?) ON CONFLICT (phone) DO UPDATE SET role = excluded.role
                """, [phone, role.rawValue, time])
            return try database.queryFirst(Self.select + " WHERE phone = ?", [phone], Self.row)!
        }
    }

    /// Removes the staff member with `phone` and, with them, every session they have (they are signed
    /// out at once), recording it in the audit log in the same transaction; false when there is none.
    public func remove(phone: String, by staff: StaffMember?, at time: Date = Date()) async throws -> Bool {
        try await pool.write { database in
            guard try database.scalar("SELECT 1 FROM staff WHERE phone = ?", [phone], as: Int.self) != nil else { return false }
            try database.execute("DELETE FROM staff WHERE phone = ?", [phone])
            try Self.audit(staff, action: "staff.remove", detail: phone, at: time, in: database)
            return true
        }
    }

    public func all() async throws -> [StaffMember] {
        try await pool.read { database in try database.query(Self.select + " ORDER BY role, phone", [], Self.row) }
    }

    /// The staff member who just logged in with Vipps: found by `sub`, or on first login by phone (then bound to `sub`).
    public func loggedIn(sub: String, phone: String?, name: String?, at time: Date = Date()) async throws -> StaffMember? {
        try await pool.write { database in
            if let found = try database.queryFirst(Self.select + " WHERE sub = ?", [sub], Self.row) {
                try database.execute("UPDATE staff SET last_login_at = ?, name = coalesce(?, name) WHERE id = ?", [time, name, found.id])
                return found
            }
            guard let phone, let found = try database.queryFirst(Self.select + " WHERE phone = ? AND sub IS NULL", [phone], Self.row) else {
                return nil
            }
            try database.execute("UPDATE staff SET sub = ?, name = ?, last_login_at = ? WHERE id = ?", [sub, name, time, found.id])
            return try database.queryFirst(Self.select + " WHERE id = ?", [found.id], Self.row)
        }
    }

    public func startSession(staffID: Int64, idHash: String, csrfToken: String, expiresAt: Date, at time: Date = Date()) async throws {
        try await pool.write { database in
            try database.execute("DELETE FROM staff_sessions WHERE expires_at <= ?", [time])
            try database.execute(
                "INSERT INTO staff_sessions (id_hash, staff_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                [idHash, staffID, csrfToken, time, expiresAt])
        }
    }

    public func session(idHash: String, at time: Date = Date()) async throws -> StaffSession? {
        try await pool.read { database in
            try database.queryFirst(
                """
                SELECT s.id, s.phone, s.sub, s.role, s.name, x.csrf_token FROM staff_sessions x JOIN staff s ON s.id = x.staff_id
                WHERE x.id_hash = ? AND x.expires_at > ?
                """, [idHash, time]
            ) { row in StaffSession(staff: try Self.row(row), csrfToken: try row[5]) }
        }
    }

    public func endSession(idHash: String) async throws {
        try await pool.write { database in try database.execute("DELETE FROM staff_sessions WHERE id_hash = ?", [idHash]) }
    }

    public func audit(_ staff: StaffMember?, action: String, detail: String, at time: Date = Date()) async throws {
        try await pool.write { database in try Self.audit(staff, action: action, detail: detail, at: time, in: database) }
    }

    /// An audit entry inside the caller's transaction; no staff member means the command line.
    public static func audit(_ staff: StaffMember?, action: String, detail: String, at time: Date, in database: any Database) throws {
        try database.execute(
            "INSERT INTO audit_log (staff_id, staff_name, action, detail, at) VALUES (?, ?, ?, ?, ?)",
            [staff?.id, staff.map { $0.name ?? $0.phone } ?? "command line", action, detail, time])
    }

    public func auditLog(limit: Int = 200) async throws -> [AuditEntry] {
        try await pool.read { database in
            try database.query("SELECT staff_name, action, detail, at FROM audit_log ORDER BY id DESC LIMIT ?", [limit]) { row in
                AuditEntry(staffName: try row[0], action: try row[1], detail: try row[2], at: try row[3])
            }
        }
    }

    private static let select = "SELECT id, phone, sub, role, name FROM staff"

    private static func row(_ row: Row) throws -> StaffMember {
        StaffMember(
            id: try row[0], phone: try row[1], sub: try row[2], role: try .stored(try row[3], table: "staff", column: "role"), name: try row[4])
    }
}
