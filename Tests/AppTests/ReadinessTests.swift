import Foundation
import Testing
import VippsSimulator

@testable import App

/// `/readyz` answers from what the readiness probe found last: a flood of anonymous requests writes
/// nothing and waits for no lock.
@Suite("Readiness from a kept state")
struct ReadinessTests {
    @Test("a /readyz request does not write: 200 requests, no transaction")
    func requestsDoNotWrite() async throws {
        try await OnboardingHarness.with { harness in
            let app = harness.app.app
            await app.readiness.refresh()
            let writes = app.database.writeStatistics.transactions
            let browser = Browser(port: harness.app.port)
            #expect(try await browser.get("/readyz").status == 200)
            // (On a loaded machine the finding may turn stale during the loop: 503, still without a write.)
            var statuses: Set<Int> = []
            for _ in 0..<200 { statuses.insert(try await browser.get("/readyz").status) }
            #expect(statuses.isSubset(of: [200, 503]))
            #expect(app.database.writeStatistics.transactions == writes)
            await app.readiness.refresh()
            #expect(app.database.writeStatistics.transactions == writes + 1, "the probe's one write is counted")
        }
    }

    @Test("not ready before the first check, and when the last one is older than 30 s (a probe that hangs)")
    func staleIsNotReady() async throws {
        try await OnboardingHarness.with { harness in
            let readiness = harness.app.app.readiness
            #expect(readiness.response().status == .serviceUnavailable)
            await readiness.refresh()
            #expect(readiness.response().status == .ok)
            let later = readiness.response(now: Date().addingTimeInterval(Readiness.staleAfter + 5))
            #expect(later.status == .serviceUnavailable && String(decoding: later.body, as: UTF8.self).contains("stale"))
        }
    }

    @Test("Vipps failing the logins' calls makes the instance unready at once, though discovery is cached; one answer clears it")
    func vippsFailingShows() async throws {
        try await OnboardingHarness.with { harness in
            let readiness = harness.app.app.readiness
            await readiness.refresh()
            #expect(readiness.response().status == .ok)
            var hooks = SimulatorHooks()
            hooks.failNextStatus = 503
            hooks.failNextCount = 6
            await harness.simulator.setHooks(hooks)
            // Each start asks user-exists and then the start itself: both get 503.
            for _ in 0..<2 { _ = try? await harness.startLogin() }
            let down = readiness.response()
            #expect(down.status == .serviceUnavailable)
            #expect(String(decoding: down.body, as: UTF8.self).contains("failing"), "\(String(decoding: down.body, as: UTF8.self))")
            await harness.simulator.setHooks(SimulatorHooks())
            _ = try await harness.startLogin()
            #expect(readiness.response().status == .ok, "one answered call clears it")
        }
    }
}
