import Foundation
import ServiceLifecycle

/// Keeps `/readyz`'s answer fresh: checks now, then every `Readiness.interval`, until `serve` shuts
/// down. One write every 5 s per instance, however often `/readyz` is asked.
struct ReadinessProbe: Service {
    let readiness: Readiness

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await readiness.refresh()
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: Readiness.interval) }
            } catch {
                return
            }
        }
    }
}
