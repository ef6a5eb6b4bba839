import Foundation
import TestSupport
import Testing

@testable import App

/// Anonymous requests that make Vipps work (a login's start, a callback's code exchange) are limited
/// per client, where a client is an IPv4 address or an IPv6 /64, and a browser login's state is spent
/// once: replaying a callback with its cookie never reaches Vipps' token endpoint again.
@Suite("Vipps work for anonymous callers")
struct VippsWorkLimitsTests {
    @Test("300 replays of one /admin/callback state and cookie make one token call, and are limited")
    func adminCallbackReplays() async throws {
        try await OnboardingHarness.with { harness in
            let attacker = Browser(port: harness.app.port)
            let start = try await attacker.get("/admin/login")
            let authorize = try #require(start.header("Location").flatMap(URLComponents.init(string:)))
            let state = try #require(authorize.queryItems?.first { $0.name == "state" }?.value)
            #expect(attacker.cookies["velkommen_staff_login"] != nil)
            let before = await harness.simulator.tokenRequests(grantType: "authorization_code")
            var statuses: [Int: Int] = [:]
            let began = ContinuousClock.now
            for index in 0..<300 {
                let response = try await attacker.get("/admin/callback?code=junk-\(index)&state=\(state)")
                statuses[response.status, default: 0] += 1
            }
            let calls = await harness.simulator.tokenRequests(grantType: "authorization_code") - before
            #expect(calls <= 1, "token calls: \(calls)")
            #expect(statuses[429, default: 0] >= 300 - Self.allowed(since: began), "\(statuses)")
            #expect(statuses[500] == nil)
        }
    }

    @Test("a spent state is refused in a fresh client's hands too, before Vipps is asked")
    func stateSpentOnce() async throws {
        try await OnboardingHarness.with(app: { $0.trustedProxies = [IPNetworkFixture.loopback] }) { harness in
            let attacker = Browser(port: harness.app.port)
            let start = try await attacker.get("/admin/login")
            let authorize = try #require(start.header("Location").flatMap(URLComponents.init(string:)))
            let state = try #require(authorize.queryItems?.first { $0.name == "state" }?.value)
            let before = await harness.simulator.tokenRequests(grantType: "authorization_code")
            for index in 0..<5 {
                // Each from another address: the per-client limit alone would let every one through.
                attacker.extraHeaders = ["X-Forwarded-For": "198.51.100.\(index + 1)"]
                let response = try await attacker.get("/admin/callback?code=junk-\(index)&state=\(state)")
                #expect(response.status == 400)
            }
            #expect(await harness.simulator.tokenRequests(grantType: "authorization_code") - before == 1)
        }
    }

    @Test("every address of one IPv6 /64 shares one callback limit; the next /64 and IPv4 have their own")
    func slash64SharesALimit() async throws {
        try await OnboardingHarness.with(app: { $0.trustedProxies = [IPNetworkFixture.loopback] }) { harness in
            let browser = Browser(port: harness.app.port)
            var statuses: [Int] = []
            let start = ContinuousClock.now
            for index in 0..<60 {
                browser.extraHeaders = ["X-Forwarded-For": "2001:db8:1:2:\(String(index + 1, radix: 16))::\(index + 7)"]
                statuses.append(try await browser.get("/callback?code=junk\(index)").status)
            }
            #expect(statuses.prefix(20).allSatisfy { $0 == 400 }, "\(statuses)")
            #expect(statuses.filter { $0 != 429 }.count <= Self.allowed(since: start), "\(statuses)")
            browser.extraHeaders = ["X-Forwarded-For": "2001:db8:1:3::1"]
            #expect(try await browser.get("/callback?code=other").status == 400, "the next /64 is another client")
            browser.extraHeaders = ["X-Forwarded-For": "203.0.113.9"]
            #expect(try await browser.get("/callback?code=other").status == 400)
        }
    }

    @Test("the /64s of one IPv6 /48 share a limit ten times as wide; another /48 has its own")
    func slash48SharesAWiderLimit() async throws {
        try await OnboardingHarness.with(app: { $0.trustedProxies = [IPNetworkFixture.loopback] }) { harness in
            let browser = Browser(port: harness.app.port)
            var statuses: [Int] = []
            let start = ContinuousClock.now
            for index in 0..<260 {
                browser.extraHeaders = ["X-Forwarded-For": "2001:db8:7:\(String(index + 1, radix: 16))::1"]
                statuses.append(try await browser.get("/callback?code=junk\(index)").status)
            }
            let seconds = Double(elapsedMilliseconds(since: start)) / 1000
            #expect(statuses.prefix(200).allSatisfy { $0 == 400 }, "each /64 is fresh, and the /48 has 200 at once")
            #expect(Double(statuses.filter { $0 != 429 }.count) <= 201 + (seconds * 5).rounded(.up), "\(seconds) s: \(statuses.suffix(60))")
            browser.extraHeaders = ["X-Forwarded-For": "2001:db8:8:1::1"]
            #expect(try await browser.get("/callback?code=other").status == 400, "another /48")
        }
    }

    @Test("browser logins started at /login and /admin/login are limited per client")
    func loginStartsLimited() async throws {
        try await OnboardingHarness.with { harness in
            let browser = Browser(port: harness.app.port)
            var statuses: [Int] = []
            let start = ContinuousClock.now
            for index in 0..<60 { statuses.append(try await browser.get(index % 2 == 0 ? "/login" : "/admin/login").status) }
            #expect(statuses.prefix(20).allSatisfy { $0 == 302 }, "\(statuses)")
            #expect(statuses.filter { $0 != 429 }.count <= Self.allowed(since: start), "\(statuses)")
        }
    }

    /// What a limit of 20 at once, then 30 a minute, lets through since `start` (a loaded test machine
    /// is slow enough for tokens to come back meanwhile).
    static func allowed(since start: ContinuousClock.Instant) -> Int {
        20 + Int((Double(elapsedMilliseconds(since: start)) / 1000 * 0.5).rounded(.up)) + 1
    }

    @Test("client keys: an IPv4 address as it is, IPv6 by its /64, IPv4-mapped IPv6 as its IPv4")
    func clientKeys() {
        #expect(ClientNetwork.key("203.0.113.7") == "203.0.113.7")
        #expect(ClientNetwork.key("2001:db8:1:2:aaaa::1") == ClientNetwork.key("2001:0db8:0001:0002:ffff:ffff:ffff:ffff"))
        #expect(ClientNetwork.key("2001:db8:1:2::1") != ClientNetwork.key("2001:db8:1:3::1"))
        #expect(ClientNetwork.key("::ffff:203.0.113.7") == "203.0.113.7")
        #expect(ClientNetwork.key("fe80::1%eth0") == ClientNetwork.key("fe80::2"))
        #expect(ClientNetwork.key("not an address") == "not an address")
        #expect(ClientNetwork.keys("2001:db8:1:2::1").site == ClientNetwork.keys("2001:db8:1:ffff::1").site)
        #expect(ClientNetwork.keys("2001:db8:1:2::1").site != ClientNetwork.keys("2001:db8:2:2::1").site)
        #expect(ClientNetwork.keys("203.0.113.7").site == nil)
    }

    @Test("a full limiter makes room from buckets that limit nobody, and never forgets one that is limiting")
    func fullTableKeepsOffenders() {
        let limiter = RateLimiter(burst: 2, perMinute: 1, maxKeys: 10)
        let start = Date(timeIntervalSince1970: 50_000)
        for _ in 0..<2 { #expect(limiter.takeInMemory("offender", now: start) == nil) }
        #expect(limiter.takeInMemory("offender", now: start) != nil)
        for index in 0..<1_000 { _ = limiter.takeInMemory("passer-by-\(index)", now: start.addingTimeInterval(Double(index) / 100)) }
        #expect(limiter.trackedKeys <= 10)
        #expect(limiter.isTracked("offender"))
        #expect(limiter.takeInMemory("offender", now: start.addingTimeInterval(10)) != nil, "still limited")
    }

    @Test("when every tracked key is limiting, newcomers share one bucket instead of pushing one out")
    func fullOfOffenders() {
        let limiter = RateLimiter(burst: 1, perMinute: 1, maxKeys: 4)
        let start = Date(timeIntervalSince1970: 50_000)
        for index in 0..<4 { for _ in 0..<2 { _ = limiter.takeInMemory("offender-\(index)", now: start) } }
        #expect(limiter.takeInMemory("newcomer-1", now: start) == nil, "the shared bucket's one token")
        #expect(limiter.takeInMemory("newcomer-2", now: start) != nil, "then the shared bucket limits")
        for index in 0..<4 { #expect(limiter.isTracked("offender-\(index)")) }
    }
}
