import Foundation
import Storage
import TestSupport
import Testing

@testable import App

@Suite("Statistics pages and exports", .serialized)
struct StatsPageTests {
    /// Seven members at oslo-1 on 2026-11-10 (all accepted sms) and two at bergen-1 (one accepted).
    static func seed(_ pool: any DatabasePool) async throws {
        let day = Date(timeIntervalSince1970: 1_794_312_000)
        try await pool.write { database in
            for index in 0..<9 {
                let store = index < 7 ? "oslo-1" : "bergen-1"
                try database.execute(
                    "INSERT INTO members (sub, name, email, first_store, created_at, last_login_at) VALUES (?, ?, ?, ?, ?, ?)",
                    ["m\(index)", "Member \(index)", "=HYPERLINK(\"x\")", store, day, day])
                try database.execute(
                    """
                    INSERT INTO login_requests (id, auth_req_id, phone_hint, store, terminal, status, created_at, expires_at, confirmed_at)
                    VALUES (?, ?, '', ?, 't1', 'confirmed', ?, ?, ?)
                    """, ["r\(index)", "a\(index)", store, day, day.addingTimeInterval(600), day.addingTimeInterval(30)])
                try database.execute(
                    "INSERT INTO member_consents (member_sub, consent_id, accepted, changed_at) VALUES (?, 'sms', ?, ?)",
                    ["m\(index)", index != 8, day])
            }
        }
    }

    @Test("the page draws the chart and hides counts below 5; the CSV agrees")
    func pageAndCSV() async throws {
        try await OnboardingHarness.with { harness in
            try await Self.seed(harness.app.app.database)
            let merchant = try await harness.staff("merchant", msisdn: "4741111111")
            let page = try await merchant.get("/admin/stats?from=2026-11-01&to=2026-11-30")
            #expect(page.status == 200)
            #expect(page.text.contains("<svg"))
            #expect(page.text.contains("<title>2026-11-10: 9</title>"))
            #expect(
                page.text.contains(#"<tr class="store-row"><th scope="row">Oslo sentrum</th><td>7</td><td>100 %</td>"#),
                "per store, by name, in per cent")
            #expect(page.text.contains(#"<th scope="row">t1</th><td>7</td><td>100 %</td>"#), "the till folded under its store")
            #expect(page.text.contains(#"<th scope="row">Bergen</th><td>&lt; 5</td><td>&lt; 5</td>"#), "two starts are shown as < 5")
            #expect(page.text.contains("Nye medlemmer") && page.text.contains("class=\"figure-value\""), "the headline strip")
            #expect(page.text.contains("2026-10-02 – 2026-10-31"), "compared with the 30 days before")
            let csv = try await merchant.get("/admin/stats.csv?from=2026-11-01&to=2026-11-30&store=bergen-1")
            #expect(csv.header("Content-Type") == "text/csv; charset=utf-8")
            #expect(csv.body.starts(with: [0xEF, 0xBB, 0xBF]), "a byte-order mark, for Norwegian Excel")
            #expect(csv.text.contains("funnel;bergen-1/t1;started;< 5\r\n"))
            #expect(!csv.text.contains("oslo-1"), "the store filter applies to the export")
            let funnel = try await merchant.get("/admin/stats.csv?table=funnel&from=2026-11-01&to=2026-11-30")
            #expect(funnel.text.hasPrefix("\u{FEFF}Butikk;Kasse;Startet;Bekreftet;Landet;Fullført;Løst inn\r\n"), "one file per table, headed")
            #expect(funnel.text.contains("Bergen;t1;< 5;< 5;0;0;0\r\n") && funnel.text.contains("Oslo sentrum;t1;7;7;0;0;0\r\n"))
            #expect(try await merchant.get("/admin/stats.csv?table=secrets").status == 400)
            #expect(try await merchant.get("/admin/stats/members.csv?consent=sms").status == 403, "member lists are for admins")
        }
    }

    @Test("admins export members who consented, with formula injection defused, and it is audit-logged")
    func membersExport() async throws {
        try await OnboardingHarness.with { harness in
            try await Self.seed(harness.app.app.database)
            let admin = try await harness.staff("admin", msisdn: "4712345678")
            let csv = try await admin.get("/admin/stats/members.csv?consent=sms")
            #expect(csv.header("Transfer-Encoding") == "chunked", "streamed")
            let lines = csv.text.split(separator: "\r\n")
            #expect(lines.count == 9, "header and eight members who accepted")
            #expect(csv.text.contains("\"'=HYPERLINK(\"\"x\"\")\""))
            #expect(try await admin.get("/admin/audit").text.contains("members.export"))
        }
    }
}
