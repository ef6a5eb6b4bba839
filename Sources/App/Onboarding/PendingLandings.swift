import Foundation
import Synchronization

/// Members who confirmed a login from phone number and have not yet seen the welcome page: the welcome
/// page records their landing. Kept in memory so that other page views need no database read for it.
/// A browser that never follows the callback's redirect leaves its member here, so entries are
/// forgotten after `lifetime`: a landing that late is a returning visit, not the end of that login.
final class PendingLandings: Sendable {
    private struct Table {
        var added: [String: Double] = [:]
        var nextSweep = 0.0
    }

    private let table = Mutex(Table())
    let lifetime: Double

    init(lifetime: TimeInterval = 600) { self.lifetime = lifetime }

    var count: Int { table.withLock { $0.added.count } }

    func add(_ sub: String, now: Double = Date().timeIntervalSince1970) {
        table.withLock { table in
            if now >= table.nextSweep {
                table.added = table.added.filter { $0.value + lifetime > now }
                table.nextSweep = now + lifetime / 10
            }
            table.added[sub] = now
        }
    }

    /// True once for a member who was waiting.
    func take(_ sub: String, now: Double = Date().timeIntervalSince1970) -> Bool {
        table.withLock { table in
            guard let added = table.added.removeValue(forKey: sub) else { return false }
            return added + lifetime > now
        }
    }
}
