import Foundation
import Storage
import StorageTestSupport
import TestSupport
import Testing

@testable import App

@Suite("A role this version does not know gives no access and is named")
struct UnknownRoleTests {
    @Test("staff whose role a newer version wrote get 503, not another role's pages; staff list fails naming it")
    func unknownRole() async throws {
        try await OnboardingHarness.with { harness in
            let admin = try await harness.staff("merchant", msisdn: "4798765432")
            #expect(try await admin.get("/admin/stats").status == 200)
            try await harness.app.app.database.write { database in
                if TestDatabases.appEngine == .postgres {
                    try database.execute("ALTER TABLE staff DROP CONSTRAINT IF EXISTS staff_role_check")
                } else {
                    try database.execute("PRAGMA ignore_check_constraints = ON")
                }
                try database.execute("UPDATE staff SET role = 'store-manager'")
                if TestDatabases.appEngine == .sqlite { try database.execute("PRAGMA ignore_check_constraints = OFF") }
            }
            let refused = try await admin.get("/admin/stats")
            #expect(refused.status == 503 && refused.header("Retry-After") != nil)
            do {
                _ = try await VelkommenApp.listStaff(databasePath: harness.app.app.configuration.databasePath)
                Issue.record("staff list read an unknown role")
            } catch {
                #expect(String(describing: error).contains("staff.role holds 'store-manager'"))
            }
        }
    }
}
