import Foundation
import Logging
import ServiceLifecycle
import Storage

/// The answer-retention purge as a service: now, then every hour, until `serve` shuts down (SIGTERM
/// cancels the wait; a purge in progress finishes its transaction first). With several instances on
/// one database the purge runs once an hour for the site (`JobSchedule`), not once per instance. It
/// also drops the shared rate-limit buckets that have filled up again.
struct RetentionService: Service {
    let job: RetentionJob
    let schedule: JobSchedule
    let buckets: RateBucketStore
    let logger: Logger
    var interval: Duration = .seconds(3600)

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                // A little under the interval, so that this instance's own next turn is never refused.
                if try await schedule.claim("retention", every: Double(interval.components.seconds) * 0.9) {
                    let purged = try await job.run()
                    if !purged.isEmpty { logger.info("retention: purged \(purged.values.reduce(0, +)) answers") }
                    try await buckets.purge(untouchedSince: Date().addingTimeInterval(-3600))
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
}
