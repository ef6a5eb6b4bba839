import Logging
import ServiceLifecycle

/// The answer-retention purge as a service: now, then every hour, until `serve` shuts down (SIGTERM
/// cancels the wait; a purge in progress finishes its transaction first).
struct RetentionService: Service {
    let job: RetentionJob
    let logger: Logger
    var interval: Duration = .seconds(3600)

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let purged = try await job.run()
                if !purged.isEmpty { logger.info("retention: purged \(purged.values.reduce(0, +)) answers") }
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
