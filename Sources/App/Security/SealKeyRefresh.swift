import Foundation
import Logging
import ServiceLifecycle
import Storage

/// Picks up a rotation of the sealing key (`velkommen secret rotate`, from any instance or machine on
/// the database) while `serve` runs: reads the key generations every 10 s. A rotation becomes active
/// `activationDelay` after it is made, so every instance has the new key before any seals with it.
struct SealKeyRefresh: Service {
    static let secretName = "cookie-seal"
    static let interval: Duration = .seconds(10)
    static let activationDelay: TimeInterval = 30

    let keys: SealKeys
    let store: ServerSecretStore
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.interval) }
            } catch {
                return
            }
            await refresh()
        }
    }

    /// Reads the generations from the database; a failure keeps the ones in use (and is logged).
    func refresh() async {
        do {
            let known = keys.count
            let generations = try await store.generations(of: Self.secretName)
            keys.replace(with: generations.map { Sealer.Generation(key: $0.value, activeFrom: $0.activeFrom) })
            if generations.count != known { logger.info("sealing keys: \(generations.count) generations in use") }
        } catch {
            logger.error("sealing keys: reading them failed: \(String(reflecting: type(of: error)))")
        }
    }

    /// A new generation of the key, active in `activationDelay`; the generations replaced more than the
    /// longest cookie lifetime before that are forgotten. Returns when the new key becomes active.
    static func rotate(_ store: ServerSecretStore, now: Date = Date()) async throws -> Date {
        let activeFrom = now.addingTimeInterval(activationDelay)
        try await store.rotate(
            secretName, to: Sealer.newKey(), activeFrom: activeFrom,
            forgetSupersededBefore: now.addingTimeInterval(-Sealer.longestLifetime - activationDelay))
        return activeFrom
    }
}
