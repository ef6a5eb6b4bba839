import Foundation
import Logging
import ServiceLifecycle
import Storage

/// Keeps the statistics rollups at most a minute old, in the background: recomputing today, yesterday
/// and their month takes about a second on a million members, which a page view should not wait for.
/// With several instances on one database the refresh runs once per period for the site.
struct StatsRefreshService: Service {
    let stats: StatsStore
    let schedule: JobSchedule
    let logger: Logger
    var interval: Duration = .seconds(30)

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                if try await schedule.claim("stats-refresh", every: Double(interval.components.seconds) * 0.9) {
                    try await stats.refresh(maxAge: Double(interval.components.seconds) * 0.9)
                }
            } catch {
                logger.error("statistics refresh failed: \(String(reflecting: type(of: error)))")
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }
}
