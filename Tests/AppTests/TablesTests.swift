import Foundation
import HTTPServer
import Testing
import VippsLogin

@testable import App

@Suite("Pure logic as tables: the callback's problems, the statistics filter, the router in-process")
struct TablesTests {
    @Test(
        "every Vipps failure at the callback maps to the page that says what to do",
        arguments: [
            (VippsLoginError.invalidGrant, CallbackProblem.codeInvalid), (.expiredToken, .codeInvalid),
            (.timeout, .vippsUnavailable), (.transport("x"), .vippsUnavailable), (.serverError(status: 503), .vippsUnavailable),
            (.rateLimited(retryAfter: 5), .vippsUnavailable), (.invalidIDToken(reason: "x"), .verificationFailed),
            (.subjectMismatch, .verificationFailed), (.badResponse("x"), .verificationFailed), (.accessDenied, .accessDenied),
            (.invalidClient, .vippsError), (.issuerMismatch(configured: "a", discovered: "b"), .vippsError),
        ])
    func callbackProblems(error: VippsLoginError, problem: CallbackProblem) {
        #expect(Callback.problem(for: error) == problem)
    }

    @Test(
        "the statistics filter reads from, to and store, and falls back on the last 30 days",
        arguments: [
            ("", "2026-11-03", "2026-12-02", nil as String?),
            ("from=2026-11-01&to=2026-11-30", "2026-11-01", "2026-11-30", nil),
            ("from=2026-11-30&to=2026-11-01", "2026-11-01", "2026-11-30", nil),
            ("from=2026-02-30&to=2026-11-30", "2026-11-01", "2026-11-30", nil),
            ("store=oslo-1", "2026-11-03", "2026-12-02", "oslo-1"),
            ("store=Oslo%201", "2026-11-03", "2026-12-02", nil),
            ("store=", "2026-11-03", "2026-12-02", nil),
        ])
    func statsFilter(query: String, from: String, to: String, store: String?) {
        let request = HTTPRequest(head: HTTPRequestHead(method: .get, path: "/admin/stats", query: query))
        let filter = StatsPage.filter(request, now: Date(timeIntervalSince1970: 1_796_212_800))  // 2026-12-02 12:00 UTC
        #expect(
            filter.fromText == from && filter.toText == to && filter.store == store,
            "\(query): \(filter.fromText)..\(filter.toText) \(filter.store ?? "-")")
    }

    @Test("the router answers in-process: a page, a problem, a 405 with Allow, and a cross-site POST refused")
    func inProcess() async throws {
        try await TestApp.with { app in
            let site = try InProcess(app.app)
            #expect(try await site.send(.get, "/healthz").text == #"{"status":"ok"}"#)
            #expect(try await site.send(.get, "/welcome").status == .ok)
            let wrongMethod = try await site.send(.delete, "/welcome")
            #expect(wrongMethod.status == .methodNotAllowed && wrongMethod.headers["Allow"]?.contains("GET") == true)
            #expect(try await site.send(.get, "/api/v1/logins/nope").status == .unauthorized)
            let crossSite = try await site.send(.post, "/logout", headers: ["Host": "127.0.0.1", "Origin": "https://evil.example"])
            #expect(crossSite.status == .forbidden)
        }
    }
}
