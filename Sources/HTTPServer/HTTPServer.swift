#if canImport(Glibc)
import Glibc
import Synchronization

/// An HTTP/1.1 server on the OS socket API: event loops on epoll (one per core), a shared listening
/// socket, handlers run as tasks on the loop that owns their connection.
///
/// ```swift
/// let server = HTTPServer(configuration: config, handler: router)
/// let port = try server.start()
/// ...
/// server.shutdown()              // graceful: stop accepting, finish in-flight requests
/// await server.waitUntilStopped()
/// ```
public final class HTTPServer: Sendable {
    private enum State {
        case idle
        case running(ServerContext, [EventLoop], port: Int)
        case stopping(ServerContext)
    }

    public let configuration: Configuration
    private let handler: any HTTPHandler
    private let state = Mutex(State.idle)

    public init(configuration: Configuration = Configuration(), handler: any HTTPHandler) {
        self.configuration = configuration
        self.handler = handler
    }

    /// Binds, starts the event loops and returns the bound port. Throws when the address is taken
    /// or the server was started before.
    @discardableResult
    public func start() throws(SocketError) -> Int {
        // A peer that vanishes mid-write must not kill the process (sends also use MSG_NOSIGNAL).
        signal(SIGPIPE, SIG_IGN)
        Socket.raiseDescriptorLimit()
        let listener = try Socket.listen(host: configuration.host, port: configuration.port, backlog: configuration.backlog)
        let context = ServerContext(configuration: configuration, handler: handler, listenFD: listener.fd)
        var loops: [EventLoop] = []
        do {
            for index in 0..<configuration.eventLoopCount {
                loops.append(try EventLoop(index: index, context: context))
            }
            try state.withLock { (state) throws(SocketError) in
                guard case .idle = state else { throw SocketError(operation: "start (already started)", code: EALREADY) }
                state = .running(context, loops, port: listener.port)
            }
        } catch {
            close(listener.fd)
            throw error
        }
        for loop in loops { try loop.start() }
        return listener.port
    }

    /// The port bound, once started.
    public var port: Int? {
        state.withLock { if case .running(_, _, let port) = $0 { port } else { nil } }
    }

    /// Open connections right now, across loops.
    public var openConnections: Int {
        state.withLock { state in
            switch state {
            case .idle: 0
            case .running(let context, _, _), .stopping(let context): context.totalConnections
            }
        }
    }

    /// Begins a graceful shutdown: no new connections, idle ones closed, in-flight requests finish
    /// within the grace period, then the rest are closed. Returns at once; await `waitUntilStopped`.
    public func shutdown() {
        let loops = state.withLock { state -> [EventLoop] in
            guard case .running(let context, let loops, _) = state else { return [] }
            state = .stopping(context)
            return loops
        }
        let grace = configuration.shutdownGracePeriod.milliseconds
        for loop in loops {
            loop.runOnLoop { loop.beginShutdown(gracePeriodMilliseconds: grace) }
        }
    }

    /// Returns when every loop has stopped (at once if the server never started).
    public func waitUntilStopped() async {
        let context = state.withLock { state -> ServerContext? in
            switch state {
            case .idle: nil
            case .running(let context, _, _), .stopping(let context): context
            }
        }
        await context?.waitUntilStopped()
    }

    /// Starts, and returns once the server has been shut down (by `shutdown()`, e.g. from a signal).
    public func run() async throws(SocketError) {
        try start()
        await waitUntilStopped()
    }
}
#endif
