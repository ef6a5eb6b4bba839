import Foundation
import Synchronization
import VippsLogin

/// Whether Vipps has been answering lately, from the calls the client made (not a call of its own):
/// discovery is cached for an hour, so it says nothing of a Vipps that went down a minute ago. The
/// last few calls within a minute all failed (no answer, or a 5xx) means failing; one success clears it.
final class VippsCallHealth: Sendable {
    static let window: TimeInterval = 60
    static let failuresInARow = 3

    private struct State {
        var failures: [Date] = []
    }

    private let state = Mutex(State())

    func record(_ call: VippsCall, at time: Date = Date()) {
        let failed = call.status.map { $0 >= 500 } ?? true
        state.withLock { state in
            if failed {
                state.failures.append(time)
                if state.failures.count > Self.failuresInARow { state.failures.removeFirst() }
            } else {
                state.failures.removeAll()
            }
        }
    }

    /// Nil when Vipps answered lately (or nothing is known), else how many calls failed in a row.
    func failing(at time: Date = Date()) -> Int? {
        state.withLock { state in
            let recent = state.failures.filter { time.timeIntervalSince($0) <= Self.window }
            return recent.count >= Self.failuresInARow ? recent.count : nil
        }
    }
}
