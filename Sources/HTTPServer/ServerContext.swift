#if canImport(Glibc)
import Glibc
import Synchronization

/// What the event loops of one running server share: the configuration, the handler, the listening
/// socket, the connection count behind the cap, and the bookkeeping of shutdown.
final class ServerContext: Sendable {
    private struct Lifecycle {
        var loopCount: Int
        var listenersReleased = 0
        var loopsStopped = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
        var perLoopConnections: [Int]
    }

    let configuration: HTTPServer.Configuration
    let handler: any HTTPHandler
    let listenFD: Int32
    let encodedDefaults: ResponseHeadWriter.EncodedDefaults
    /// Time limits in milliseconds, converted once.
    let timeouts: ConnectionState.Timeouts
    /// Whether anything reads request durations (the access log); else the clock is not read.
    let wantsTiming: Bool
    private let openConnections = Atomic<Int>(0)
    private let lifecycle: Mutex<Lifecycle>

    init(configuration: HTTPServer.Configuration, handler: any HTTPHandler, listenFD: Int32) {
        self.configuration = configuration
        self.handler = handler
        self.listenFD = listenFD
        encodedDefaults = ResponseHeadWriter.EncodedDefaults(configuration.defaultHeaders)
        timeouts = ConnectionState.Timeouts(
            headerRead: configuration.headerReadTimeout.milliseconds, bodyRead: configuration.bodyReadTimeout.milliseconds,
            idle: configuration.idleTimeout.milliseconds, write: configuration.writeTimeout.milliseconds, linger: Connection.lingerMilliseconds)
        wantsTiming = configuration.accessLog != nil
        lifecycle = Mutex(
            Lifecycle(
                loopCount: configuration.eventLoopCount,
                perLoopConnections: [Int](repeating: 0, count: configuration.eventLoopCount)))
    }

    // MARK: Connections

    var hasRoomForConnection: Bool { openConnections.load(ordering: .relaxed) < configuration.maxConnections }

    var totalConnections: Int { openConnections.load(ordering: .relaxed) }

    func connectionOpened(on loop: EventLoop) {
        openConnections.add(1, ordering: .relaxed)
        lifecycle.withLock { $0.perLoopConnections[loop.index] += 1 }
    }

    func connectionClosed(on loop: EventLoop) {
        openConnections.subtract(1, ordering: .relaxed)
        lifecycle.withLock { $0.perLoopConnections[loop.index] -= 1 }
    }

    func connectionCount(on loop: EventLoop) -> Int {
        lifecycle.withLock { $0.perLoopConnections[loop.index] }
    }

    // MARK: Shutdown

    /// A loop stopped listening for good; the last one closes the socket, so that new clients are
    /// refused at once instead of waiting in the backlog.
    func listenerReleased() {
        let last = lifecycle.withLock { state -> Bool in
            state.listenersReleased += 1
            return state.listenersReleased == state.loopCount
        }
        if last { close(listenFD) }
    }

    func loopStopped() {
        let waiters = lifecycle.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.loopsStopped += 1
            guard state.loopsStopped == state.loopCount else { return [] }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once every loop has stopped.
    func waitUntilStopped() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = lifecycle.withLock { state -> Bool in
                if state.loopsStopped == state.loopCount { return true }
                state.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }
}
#endif
