import Foundation
import ServiceLifecycle
import ServiceLifecycleTestKit
import Storage
import Testing

@testable import App

@Suite("Background work runs as services that shut down when serve does")
struct BackgroundServicesTests {
    @Test(
        "the retention service purges at once, then waits an hour, unless the group shuts down: then it returns",
        .timeLimit(.minutes(1)))
    func retentionStops() async throws {
        try await TestApp.with { app in
            let answers = AnswerStore(pool: app.app.database)
            _ = try await MemberStore(pool: app.app.database).recordLogin(MemberProfile(sub: "m", name: "M"), store: nil)
            try await answers.record(sub: "m", question: "wish", value: "old", at: Date().addingTimeInterval(-400 * 86400))
            let services = app.app.backgroundServices()
            #expect(
                services.count == 5,
                "the retention purge, the statistics refresh, the readiness probe, the sealing-key refresh and the webhook delivery (no Vipps client, so no app-ending poller)"
            )
            try await testGracefulShutdown { trigger in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await services[0].run() }
                    // The purge runs first: the 400-day-old answer to a question kept 365 days goes.
                    while try await answers.current(sub: "m")["wish"] != nil { try await Task.sleep(for: .milliseconds(10)) }
                    trigger.triggerGracefulShutdown()
                    try await group.waitForAll()
                }
            }
        }
    }
}

@Suite("The statistics refresh runs in the background, once per period for the site")
struct StatsRefreshServiceTests {
    @Test("it rolls up at once, and a second instance's turn in the same period does nothing", .timeLimit(.minutes(1)))
    func refreshes() async throws {
        try await TestApp.with { app in
            let pool = app.app.database
            let service = StatsRefreshService(stats: StatsStore(pool: pool), schedule: JobSchedule(pool: pool), logger: app.logs.logger)
            try await testGracefulShutdown { trigger in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await service.run() }
                    while try await pool.read({ try $0.scalar("SELECT value FROM stats_meta WHERE key = 'refreshed_at'", as: String.self) }) == nil {
                        try await Task.sleep(for: .milliseconds(10))
                    }
                    trigger.triggerGracefulShutdown()
                    try await group.waitForAll()
                }
            }
            #expect(try await !JobSchedule(pool: pool).claim("stats-refresh", every: 27), "the period is taken: another instance skips it")
        }
    }
}
