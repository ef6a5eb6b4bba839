import Dispatch
import Synchronization

/// A connection and the serial queue that is the only place it is used.
final class Confined<Connection: Database>: @unchecked Sendable {
    // Safe to share: `database` is touched only by blocks on `queue`, which runs one at a time.
    private let database: Connection
    private let queue: DispatchQueue

    init(_ database: Connection, label: String) {
        self.database = database
        queue = DispatchQueue(label: label, qos: .userInitiated)
    }

    func run<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        // Unsafe (unchecked) continuation: resumed exactly once by the block below; the checked variant's
        // bookkeeping shows in the write path's profile.
        try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<T, Error>) in
            queue.async {
                continuation.resume(with: Result { try body(self.database) })
            }
        }
    }
}

/// The readers, handed out one caller at a time; a caller waits when all are busy.
final class ReaderSet<Connection: Database>: Sendable {
    private struct State {
        var idle: [Confined<Connection>]
        var waiting: [CheckedContinuation<Confined<Connection>, Never>] = []
    }

    private let state: Mutex<State>

    init(_ readers: [Confined<Connection>]) { state = Mutex(State(idle: readers)) }

    func acquire() async -> Confined<Connection> {
        if let reader = state.withLock({ $0.idle.popLast() }) { return reader }
        return await withCheckedContinuation { continuation in
            let reader: Confined<Connection>? = state.withLock { state in
                if let reader = state.idle.popLast() { return reader }
                state.waiting.append(continuation)
                return nil
            }
            if let reader { continuation.resume(returning: reader) }
        }
    }

    func release(_ reader: Confined<Connection>) {
        let waiter: CheckedContinuation<Confined<Connection>, Never>? = state.withLock { state in
            if state.waiting.isEmpty {
                state.idle.append(reader)
                return nil
            }
            return state.waiting.removeFirst()
        }
        waiter?.resume(returning: reader)
    }
}
