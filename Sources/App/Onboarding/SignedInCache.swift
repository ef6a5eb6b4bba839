import Foundation
import Synchronization

/// Signed-in members by session hash, for a few seconds: a member's every page view would otherwise
/// cost a database round trip before any work (a tenth of the throughput of an anonymous view).
/// Changes to a member drop their entries at once; the short lifetime covers the rest.
final class SignedInCache: Sendable {
    private struct Entry {
        var value: SignedIn
        var expires: Double
    }

    private struct Table {
        var entries: [String: Entry] = [:]
        /// When `put` next drops expired entries: a session seen once would otherwise stay until the
        /// table is full.
        var nextSweep = 0.0
    }

    private let table = Mutex(Table())
    let lifetime: Double
    let capacity: Int

    init(lifetime: TimeInterval = 5, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    var count: Int { table.withLock { $0.entries.count } }

    func get(_ idHash: String, now: Double = Date().timeIntervalSince1970) -> SignedIn? {
        table.withLock { table in
            guard let entry = table.entries[idHash] else { return nil }
            guard entry.expires > now, entry.value.session.expiresAt.timeIntervalSince1970 > now else {
                table.entries[idHash] = nil
                return nil
            }
            return entry.value
        }
    }

    func put(_ idHash: String, _ value: SignedIn, now: Double = Date().timeIntervalSince1970) {
        table.withLock { table in
            if now >= table.nextSweep {
                table.entries = table.entries.filter { $0.value.expires > now }
                table.nextSweep = now + lifetime
            }
            if table.entries.count >= capacity { table.entries.removeAll(keepingCapacity: true) }
            table.entries[idHash] = Entry(value: value, expires: now + lifetime)
        }
    }

    func forget(idHash: String) { table.withLock { $0.entries[idHash] = nil } }

    /// Drops every session of the member (profile, language or consents changed, or the member is gone).
    func forget(sub: String) {
        table.withLock { table in table.entries = table.entries.filter { $0.value.value.member.profile.sub != sub } }
    }
}
