import Foundation
import Logging
import ServiceLifecycle
import Storage

/// The answer-retention purge as a service: now, then every hour, until `serve` shuts down (SIGTERM
/// cancels the wait; a purge in progress finishes its transaction first). With several instances on
/// one database the purge runs once an hour for the site (`JobSchedule`), not once per instance. It
/// also drops the shared rate-limit buckets that have filled up again and the spent tokens that have
/// expired, blanks the phone numbers typed at the till a day after their login expired, and purges the
/// webhook events settled longer ago than the outbox keeps them.
struct RetentionService: Service {
    let job: RetentionJob
    let schedule: JobSchedule
    let buckets: RateBucketStore
    let requests: LoginRequestStore
    let spent: SpentTokenStore
    let webhooks: WebhookStore
    let logger: Logger
    /// How long a typed phone number outlives its login: the till's status and the POS API answer about
    /// a login for the rest of the day (staff looking into why one failed), after that nobody needs it.
    static let typedPhoneRetention: TimeInterval = 86_400
    /// How long a settled webhook event (delivered, or given up) is kept for "send again" and the
    /// endpoint's page: 30 days, or less when a question's answers are kept less (its payloads copy them).
    var outboxRetentionDays: Int {
        min(30, job.book.questions.questions.compactMap(\.retentionDays).filter { $0 > 0 }.min() ?? 30)
    }
    var interval: Duration = .seconds(3600)

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                // A little under the interval, so that this instance's own next turn is never refused.
                if try await schedule.claim("retention", every: Double(interval.components.seconds) * 0.9) {
                    let purged = try await job.run()
                    if !purged.isEmpty { logger.info("retention: purged \(purged.values.reduce(0, +)) answers") }
                    try await tidy(now: Date())
                }
            } catch {
                logger.error("retention job failed: \(String(reflecting: type(of: error)))")
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }

    /// The hourly tidying beside the answer purge.
    func tidy(now: Date) async throws {
        try await buckets.purge(untouchedSince: now.addingTimeInterval(-3600))
        try await spent.purge(expiredBy: now)
        let blanked = try await requests.blankTypedPhones(expiredBefore: now.addingTimeInterval(-Self.typedPhoneRetention))
        if blanked > 0 { logger.info("retention: blanked the typed phone number of \(blanked) login requests") }
        let purged = try await webhooks.purgeSettled(before: now.addingTimeInterval(-Double(outboxRetentionDays) * 86_400))
        if purged > 0 { logger.info("retention: purged \(purged) settled webhook events") }
    }
}
