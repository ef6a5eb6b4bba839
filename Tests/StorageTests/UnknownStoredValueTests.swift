import Foundation
import Storage
import StorageTestSupport
import Testing

/// A rolling upgrade on a shared database: a newer instance may write a role, a status or an ending
/// this one does not know. It must fail loudly, naming the table and the value, never read it as another.
@Suite("Stored values the code does not know are refused, not mapped to another")
struct UnknownStoredValueTests {
    /// Writes what a newer version could: the CHECK that this version's schema has is set aside first.
    static func bypassingChecks(_ pool: any DatabasePool, engine: TestDatabases.Engine, _ sql: [String]) async throws {
        try await pool.write { database in
            if engine == .postgres {
                try database.execute("ALTER TABLE staff DROP CONSTRAINT IF EXISTS staff_role_check")
                try database.execute("ALTER TABLE login_requests DROP CONSTRAINT IF EXISTS login_requests_status_check")
                try database.execute("ALTER TABLE login_requests DROP CONSTRAINT IF EXISTS login_requests_ending_check")
            } else {
                try database.execute("PRAGMA ignore_check_constraints = ON")
            }
            for statement in sql { try database.execute(statement) }
            if engine == .sqlite { try database.execute("PRAGMA ignore_check_constraints = OFF") }
        }
    }

    @Test("an unknown role, status or ending is an error naming table, column and value, on every engine")
    func refused() async throws {
        try await TemporaryDirectory.withEachPool { pool, engine in
            let staff = StaffStore(pool: pool)
            _ = try await staff.add(phone: "4798765432", role: .merchant)
            let requests = LoginRequestStore(pool: pool)
            try await requests.create(
                LoginRequest(
                    id: "r1", phoneHint: "4712345678", bindingMessage: nil, store: "oslo-1", terminal: nil, askConsents: false,
                    createdAt: Date(), expiresAt: Date().addingTimeInterval(600)))
            try await Self.bypassingChecks(
                pool, engine: engine,
                ["UPDATE staff SET role = 'store-manager'", "UPDATE login_requests SET status = 'superseded', ending = 'kiosk'"])
            do {
                _ = try await staff.all()
                Issue.record("\(engine): an unknown role was read as some role")
            } catch let error as UnknownStoredValue {
                #expect(error == UnknownStoredValue(table: "staff", column: "role", value: "store-manager"))
                #expect(error.description.contains("staff.role holds 'store-manager'"))
            }
            await #expect(throws: UnknownStoredValue(table: "login_requests", column: "status", value: "superseded")) {
                _ = try await requests.find(id: "r1")
            }
        }
    }
}
