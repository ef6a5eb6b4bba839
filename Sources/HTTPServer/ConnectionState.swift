/// The life of one connection as a value: its phase, its deadline and what happens after the queued
/// bytes reach the kernel. Every transition takes the time (milliseconds on the loop's clock) as an
/// argument and returns what the connection must do, so the rules (which time limit runs when, when a
/// connection is kept, closed or lingers) are tested without a socket or a clock; `Connection` does
/// the I/O. Modelled on Hummingbird's `HTTPConnectionStateHandler`.
struct ConnectionState: Equatable {
    enum Phase: Equatable {
        case readingHead
        case readingBody
        /// The handler is running, or its response is being written.
        case responding
        /// An error response went out; input is read and dropped until the peer closes, so that the
        /// peer sees the response rather than a reset.
        case lingering
        case closed
    }

    /// The time limits, in milliseconds.
    struct Timeouts: Equatable {
        /// From the first byte of a head to its end.
        var headerRead: Int
        /// From the end of the head to the end of the body.
        var bodyRead: Int
        /// Between requests on a kept-alive connection.
        var idle: Int
        /// For a write the kernel does not take.
        var write: Int
        /// After an error response, for the peer to stop sending.
        var linger: Int
    }

    let timeouts: Timeouts
    private(set) var phase: Phase = .readingHead
    /// When the current phase times out, on the loop's clock; 0 means never.
    private(set) var deadline: Int
    private(set) var shutdownRequested = false
    /// A streamed body is being written: the response ends when its producer does.
    private(set) var streaming = false
    private var closeWhenFlushed = false
    private var lingerWhenFlushed = false

    /// A new connection: its first head must arrive within the header limit.
    init(timeouts: Timeouts, now: Int) {
        self.timeouts = timeouts
        deadline = now + timeouts.headerRead
    }

    // MARK: Reading

    /// Bytes arrived into an empty buffer while waiting for a head: the header limit starts now (an idle
    /// keep-alive connection was on the idle limit until then).
    mutating func headStarted(now: Int) {
        guard phase == .readingHead else { return }
        deadline = now + timeouts.headerRead
    }

    /// A whole head was parsed. With a body to read, the body limit runs; without, the handler runs,
    /// on no limit of ours.
    mutating func headParsed(hasBody: Bool, now: Int) {
        guard phase == .readingHead else { return }
        if hasBody {
            phase = .readingBody
            deadline = now + timeouts.bodyRead
        } else {
            bodyDone()
        }
    }

    /// The body is whole: the request goes to the handler.
    mutating func bodyDone() {
        phase = .responding
        deadline = 0
    }

    // MARK: Responding

    /// The handler's response is queued. Returns whether the connection is kept for another request
    /// (the head says so): only when the client asked, the body's end can be framed, and no shutdown
    /// is under way.
    mutating func responseQueued(clientKeepsAlive: Bool, framed: Bool, draining: Bool, streamed: Bool) -> Bool {
        let keep = clientKeepsAlive && framed && !shutdownRequested && !draining
        closeWhenFlushed = !keep
        streaming = streamed
        return keep
    }

    /// The request cannot be read (malformed, too large, too slow). Returns whether to queue the error
    /// response: not when one is out already or the connection is gone. The connection then lingers.
    mutating func failed() -> Bool {
        guard phase != .closed, phase != .lingering else { return false }
        phase = .responding
        streaming = false
        closeWhenFlushed = true
        lingerWhenFlushed = true
        return true
    }

    /// The producer of a streamed body is done: the response ends once the rest is flushed.
    mutating func streamFinished() -> Bool {
        guard streaming else { return false }
        streaming = false
        return true
    }

    // MARK: Writing

    /// The kernel took only part of the queue: the write limit runs until it takes the rest.
    mutating func writeBlocked(now: Int) {
        deadline = now + timeouts.write
    }

    /// What to do once every queued byte is with the kernel.
    enum AfterFlush: Equatable {
        /// A streamed body goes on: wake its producer.
        case resumeStream
        /// Half-close, then read and drop input until the peer closes or the linger limit.
        case linger
        case close
        /// Parse the next request (pipelined bytes may already be waiting).
        case readNextRequest
        case nothing
    }

    mutating func flushed(now: Int, inboundEmpty: Bool) -> AfterFlush {
        if streaming {
            // The producer may go on; no write is pending, so no write limit either.
            deadline = 0
            return .resumeStream
        }
        guard phase == .responding else { return .nothing }
        if lingerWhenFlushed {
            phase = .lingering
            deadline = now + timeouts.linger
            return .linger
        }
        if closeWhenFlushed { return .close }
        phase = .readingHead
        deadline = now + (inboundEmpty ? timeouts.idle : timeouts.headerRead)
        return .readNextRequest
    }

    // MARK: Time and shutdown

    enum OnDeadline: Equatable {
        case nothing
        /// A client was mid-request: answer 408, then linger.
        case requestTimeout
        case close
    }

    /// What the passing of time means now: nothing before the deadline; after it, a 408 for a request
    /// under way, a plain close for an idle connection, a write that stalled or a linger that ran out.
    func deadlinePassed(now: Int, inboundEmpty: Bool) -> OnDeadline {
        guard deadline != 0, now >= deadline else { return .nothing }
        switch phase {
        case .readingHead where !inboundEmpty, .readingBody: return .requestTimeout
        case .closed: return .nothing
        default: return .close
        }
    }

    /// The server is shutting down. Returns whether to close now (idle); otherwise the response in
    /// progress finishes and the connection closes after it.
    mutating func shutdown(idle: Bool) -> Bool {
        shutdownRequested = true
        return idle && phase == .readingHead
    }

    /// The connection closed. Returns whether it was open (so closing twice does nothing).
    mutating func closed() -> Bool {
        guard phase != .closed else { return false }
        phase = .closed
        streaming = false
        deadline = 0
        return true
    }
}
