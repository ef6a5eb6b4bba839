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

    private let entries = Mutex<[String: Entry]>([:])
    let lifetime: Double
    let capacity: Int

    init(lifetime: TimeInterval = 5, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    func get(_ idHash: String, now: Double = Date().timeIntervalSince1970) -> SignedIn? {
        entries.withLock { entries in
            guard let entry = entries[idHash] else { return nil }
            guard entry.expires > now, entry.value.session.expiresAt.timeIntervalSince1970 > now else {
                entries[idHash] = nil
                return nil
            }
            return entry.value
        }
    }

    func put(_ idHash: String, _ value: SignedIn, now: Double = Date().timeIntervalSince1970) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[idHash] = Entry(value: value, expires: now + lifetime)
        }
    }

    func forget(idHash: String) { entries.withLock { $0[idHash] = nil } }

    /// Drops every session of the member (profile, language or consents changed, or the member is gone).
    func forget(sub: String) {
        entries.withLock { entries in entries = entries.filter { $0.value.value.member.profile.sub != sub } }
    }
}

/// Members who confirmed a login from phone number and have not yet seen the welcome page: the welcome
/// page records their landing. Kept in memory so that other page views need no database read for it.
final class PendingLandings: Sendable {
    private let subs = Mutex<Set<String>>([])

    func add(_ sub: String) { subs.withLock { _ = $0.insert(sub) } }

    /// True once for a member who was waiting.
    func take(_ sub: String) -> Bool { subs.withLock { $0.remove(sub) != nil } }
}
