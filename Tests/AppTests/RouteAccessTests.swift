import Foundation
import HTTPServer
import TestSupport
import Testing

@testable import App

@Suite("The route table is the access map: every route declares its rule, and the rules hold", .serialized)
struct RouteAccessTests {
    /// Which rule a path must have, by prefix; the first match wins.
    static let expected: [(prefix: String, rule: String)] = [
        ("/admin/login", "public"), ("/admin/callback", "public"), ("/admin/logout", "public"),
        ("/admin/staff", "staff: admin"), ("/admin/tills", "staff: admin"), ("/admin/audit", "staff: admin"), ("/admin/webhooks", "staff: admin"),
        ("/admin/stats/members.csv", "staff: admin"), ("/admin/stats", "staff: merchant"), ("/admin/pages", "staff: marketing"),
        ("/admin/questions", "staff: marketing"), ("/admin", "staff: any role"),
        ("/media", "public"), ("/me", "member"), ("/preferences", "member"), ("/card", "member"),
        ("/api/v1/logins", "POS API key"), ("/pos/logins", "till: key, staff (pos) or demo"),
    ]

    @Test("no route without a rule, and the sensitive ones have the rule they must")
    func everyRouteDeclared() async throws {
        try await TestApp.with { app in
            let routes = try app.app.routeTable().routes
            #expect(routes.count > 40)
            let undeclared = routes.filter { $0.access == nil }
            #expect(undeclared.isEmpty, "routes without an access rule: \(undeclared.map { "\($0.method) \($0.path)" })")
            for route in routes {
                guard let rule = Self.expected.first(where: { route.path.hasPrefix($0.prefix) })?.rule else { continue }
                #expect(route.access == rule, "\(route.method) \(route.path) is \(route.access ?? "-"), must be \(rule)")
            }
        }
    }

    @Test("every staff route sends an anonymous visitor to log in; every member route too; the API wants a key")
    func anonymousIsTurnedAway() async throws {
        try await TestApp.with { app in
            let site = try InProcess(app.app)
            for route in try app.app.routeTable().routes {
                let path = route.path.replacingOccurrences(of: "{id}", with: "x").replacingOccurrences(of: "{slug}", with: "x")
                let response = try await site.send(route.method, path, headers: ["Host": "127.0.0.1"])
                switch route.access ?? "" {
                case let rule where rule.hasPrefix("staff"):
                    #expect(response.status == .seeOther && response.headers["Location"] == "/admin/login", "\(route.method) \(route.path)")
                case "member":
                    #expect(response.status == .seeOther && response.headers["Location"] == "/login", "\(route.method) \(route.path)")
                case "POS API key":
                    #expect(response.status == .unauthorized, "\(route.method) \(route.path)")
                default:
                    // Without Vipps configured, /login and /readyz rightly answer 503; nothing may be a 500.
                    #expect(response.status.code != 500, "\(route.method) \(route.path): \(response.status.code)")
                }
            }
        }
    }

    @Test("staff with another role get 403 on every route that is not theirs")
    func wrongRole() async throws {
        try await OnboardingHarness.with { harness in
            let merchant = try await harness.staff("merchant", msisdn: "4741111111")
            for route in try harness.app.app.routeTable().routes where route.method == .get {
                guard let rule = route.access, rule.hasPrefix("staff"), !rule.contains("merchant"), !rule.contains("any role") else { continue }
                #expect(try await merchant.get(route.path).status == 403, "\(route.path)")
            }
        }
    }

    @Test("staff login asks Vipps only who they are: no address, no birth date")
    func staffScopes() async throws {
        try await OnboardingHarness.with { harness in
            let start = try await Browser(port: harness.app.port).get("/admin/login")
            let scope = try #require(URLComponents(string: start.header("Location") ?? "")?.queryItems?.first { $0.name == "scope" }?.value)
            #expect(Set(scope.split(separator: " ").map(String.init)) == ["openid", "name", "phoneNumber"])
            let member = try await Browser(port: harness.app.port).get("/login")
            #expect(member.header("Location")?.contains("address") == true, "members still share their profile")
        }
    }
}
