@preconcurrency import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGTERM and SIGINT into a call, for graceful shutdown. Keep the value alive as long as the
/// signals should be watched.
public final class ShutdownSignals: @unchecked Sendable {  // sources are immutable and thread-safe
    private let sources: [any DispatchSourceSignal]

    /// Calls `action` (once per signal) on a background queue when SIGTERM or SIGINT arrives.
    public init(_ action: @escaping @Sendable (Int32) -> Void) {
        sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { action(number) }
            source.resume()
            return source
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
