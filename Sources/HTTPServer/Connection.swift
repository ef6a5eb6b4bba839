#if canImport(Glibc)
import CLinuxEvents
import Glibc

/// One client connection: reads requests, hands each to the handler as a task on its event loop,
/// writes the responses in order, and enforces the time limits. The rules (phases, deadlines, keep or
/// close) live in `ConnectionState`; this type does the I/O they call for.
///
/// Touched only on its event loop's thread (the handler tasks run there too, through the loop's task
/// executor), which is what makes the `@unchecked Sendable` sound. Requests are handled one at a time:
/// pipelined requests wait in the inbound buffer, so responses go out in request order.
final class Connection: @unchecked Sendable {
    /// A request whose head is read and whose body is arriving.
    struct PendingBody {
        var head: HTTPRequestHead
        var body: [UInt8] = []
        var remaining: Int
        var chunked: ChunkedBodyDecoder?
    }

    static let lingerMilliseconds = 2_000
    static let maxLingerBytes = 1 << 20

    let fd: Int32
    let remoteAddress: String
    /// Strong: a handler task can outlive the loop's thread. The cycle ends when the connection closes
    /// and leaves the loop's table.
    let loop: EventLoop
    private var state: ConnectionState
    var phase: ConnectionState.Phase { state.phase }
    private var inbound: InboundBuffer
    private var outbound = OutboundQueue()
    private var pendingBody: PendingBody?
    /// Edge-triggered epoll: true until a read or write says EAGAIN.
    private var readable = true
    /// Where the search for the end of the head resumes.
    private var headScanOffset = 0
    private var requestStartMicros = 0
    private var lingeredBytes = 0
    /// The producer of a streamed body, waiting for its last piece to reach the kernel.
    private var streamWaiter: CheckedContinuation<Bool, Never>?

    init(fd: Int32, remoteAddress: String, loop: EventLoop) {
        self.fd = fd
        self.remoteAddress = remoteAddress
        self.loop = loop
        let limits = loop.context.configuration.limits
        inbound = InboundBuffer(maxCapacity: limits.maxURILength + limits.maxHeaderBytes + 4096)
        state = ConnectionState(timeouts: loop.context.timeouts, now: loop.now)
    }

    /// Whether closing now loses nothing: between requests, with nothing buffered or owed.
    var isIdle: Bool { phase == .readingHead && inbound.isEmpty && outbound.isEmpty }

    // MARK: Events

    func handle(events: UInt32) {
        if events & EPOLLERR.rawValue != 0 {
            close()
            return
        }
        if events & EPOLLOUT.rawValue != 0, !outbound.isEmpty {
            flush()
        }
        if events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue) != 0 {
            readable = true
            advance()
        }
    }

    /// Closes the connection when its phase has outlived its time limit.
    func checkDeadline(now: Int) {
        switch state.deadlinePassed(now: now, inboundEmpty: inbound.isEmpty) {
        case .nothing: return
        case .requestTimeout: fail(status: .requestTimeout, head: pendingBody?.head)
        case .close: close()
        }
    }

    /// Gives back the read buffer of a connection that sits idle.
    func trimMemory() {
        if isIdle { inbound.releaseIfEmpty() }
    }

    /// Shutdown: close now if idle, otherwise after the response in progress.
    func requestShutdown() {
        if state.shutdown(idle: isIdle) { close() }
    }

    // MARK: Reading

    /// Parses and reads as far as the bytes allow; dispatches a request when one is whole.
    private func advance() {
        while true {
            switch phase {
            case .closed, .responding:
                return
            case .lingering:
                discardInput()
                return
            case .readingHead:
                if headMayBeComplete() {
                    do {
                        let outcome = try inbound.withBytes { (bytes) throws(HTTPParseError) in
                            try HTTPRequestHeadParser.parse(bytes, limits: loop.context.configuration.limits)
                        }
                        if case .complete(let head, let consumed) = outcome {
                            inbound.consume(consumed)
                            headScanOffset = 0
                            beginRequest(head)
                            continue
                        }
                    } catch {
                        fail(status: error.status)
                        return
                    }
                }
                guard readMore() else { return }
            case .readingBody:
                if takeBody() { return }
                guard readMore() else { return }
            }
        }
    }

    /// Whether the bytes so far may hold a whole head (they contain CRLF CRLF) or are past the size at
    /// which the parser refuses them. Saves reparsing a head that trickles in byte by byte.
    private func headMayBeComplete() -> Bool {
        guard !inbound.isEmpty else { return false }
        let found = inbound.withBytes { bytes -> Bool in
            var index = max(0, headScanOffset - 3)
            while index + 3 < bytes.count {
                if bytes[index + 3] == .lf, bytes[index + 2] == .cr, bytes[index + 1] == .lf, bytes[index] == .cr {
                    return true
                }
                index += 1
            }
            return false
        }
        headScanOffset = inbound.count
        let limits = loop.context.configuration.limits
        return found || inbound.count >= limits.maxURILength + limits.maxHeaderBytes
    }

    /// One read; false when there is nothing more to do until the next event.
    private func readMore() -> Bool {
        guard readable else { return false }
        let wasEmpty = inbound.isEmpty
        switch inbound.read(from: fd) {
        case .read:
            if wasEmpty { state.headStarted(now: loop.now) }
            return true
        case .wouldBlock:
            readable = false
            return false
        case .full:
            // Only reachable in readingHead, where headMayBeComplete made the parser refuse the size.
            fail(status: .requestHeaderFieldsTooLarge)
            return false
        case .endOfStream, .failed:
            close()
            return false
        }
    }

    private func beginRequest(_ head: HTTPRequestHead) {
        requestStartMicros = loop.context.wantsTiming ? MonotonicClock.microseconds() : 0
        let limit: Int
        switch head.framing {
        case .none:
            state.headParsed(hasBody: false, now: loop.now)
            dispatch(HTTPRequest(head: head, remoteAddress: remoteAddress))
            return
        case .contentLength(let length):
            limit = loop.context.handler.maxBodyBytes(for: head) ?? loop.context.configuration.maxBodyBytes
            guard length <= limit else {
                fail(status: .contentTooLarge, head: head)
                return
            }
            pendingBody = PendingBody(head: head, remaining: length)
            pendingBody!.body.reserveCapacity(length)
        case .chunked:
            limit = loop.context.handler.maxBodyBytes(for: head) ?? loop.context.configuration.maxBodyBytes
            pendingBody = PendingBody(
                head: head, remaining: 0,
                chunked: ChunkedBodyDecoder(
                    maxBodyBytes: limit, maxMetadataBytes: loop.context.configuration.limits.maxChunkMetadataBytes))
        }
        state.headParsed(hasBody: true, now: loop.now)
        if head.expectsContinue && inbound.isEmpty {
            outbound.append(Self.continueLine)
            flush()
        }
    }

    private static let continueLine = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Moves body bytes from the inbound buffer; true when the request was dispatched or refused.
    private func takeBody() -> Bool {
        guard !inbound.isEmpty else { return false }
        if pendingBody!.chunked != nil {
            var decoder = pendingBody!.chunked!
            do {
                let consumed = try inbound.withBytes { (bytes) throws(HTTPParseError) in
                    try decoder.decode(bytes, into: &pendingBody!.body)
                }
                inbound.consume(consumed)
                pendingBody!.chunked = decoder
            } catch {
                fail(status: error.status, head: pendingBody?.head)
                return true
            }
            guard decoder.isComplete else { return false }
        } else {
            let take = min(pendingBody!.remaining, inbound.count)
            inbound.withBytes { bytes in pendingBody!.body.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[..<take])) }
            inbound.consume(take)
            pendingBody!.remaining -= take
            guard pendingBody!.remaining == 0 else { return false }
        }
        let pending = pendingBody!
        pendingBody = nil
        state.bodyDone()
        dispatch(HTTPRequest(head: pending.head, body: pending.body, remoteAddress: remoteAddress))
        return true
    }

    private func discardInput() {
        while readable {
            switch inbound.read(from: fd) {
            case .read(let count):
                lingeredBytes += count
                inbound.consume(inbound.count)
                if lingeredBytes > Self.maxLingerBytes {
                    close()
                    return
                }
            case .wouldBlock:
                readable = false
            case .full:
                inbound.consume(inbound.count)
            case .endOfStream, .failed:
                close()
                return
            }
        }
    }

    // MARK: Handling

    private func dispatch(_ request: HTTPRequest) {
        let handler = loop.context.handler
        let errorLog = loop.context.configuration.errorLog
        Task(executorPreference: loop) {
            let response: HTTPResponse
            do {
                response = try await handler.handle(request)
            } catch let error as HTTPResponseConvertible {
                response = error.response
            } catch {
                // The type only: an error's description may carry request data.
                errorLog?("handler error \(type(of: error)) for \(request.method) \(request.path)")
                response = .status(.internalServerError)
            }
            self.loop.runOnLoop { self.respond(response, to: request.head) }
        }
    }

    private func respond(_ response: HTTPResponse, to head: HTTPRequestHead) {
        guard phase == .responding else { return }
        let sendsBody = head.method != .head && response.status.allowsBody
        if let stream = response.bodyStream, sendsBody {
            startStreaming(stream, response: response, head: head)
            return
        }
        let keepAlive = state.responseQueued(clientKeepsAlive: head.keepAlive, framed: true, draining: loop.isDraining, streamed: false)
        outbound.append(
            ResponseHeadWriter.head(
                for: response, bodyLength: response.body.count, date: loop.dateLine(), keepAlive: keepAlive,
                requestVersion: head.version, defaults: loop.context.encodedDefaults))
        if sendsBody && !response.body.isEmpty { outbound.append(response.body) }
        if let log = loop.context.configuration.accessLog {
            log(
                AccessLogEntry(
                    method: head.method, path: head.path, status: response.status.code, bodyBytes: response.body.count,
                    durationMicroseconds: MonotonicClock.microseconds() - requestStartMicros))
        }
        flush()
    }

    /// Answers a request that cannot be read with `status` (the site's own page for it when it has one)
    /// and closes the connection.
    private func fail(status: HTTPStatus, head: HTTPRequestHead? = nil) {
        guard state.failed() else { return }
        pendingBody = nil
        let response = loop.context.configuration.refusal?(status, head) ?? HTTPResponse.status(status)
        outbound.append(
            ResponseHeadWriter.head(
                for: response, bodyLength: response.body.count, date: loop.dateLine(),
                keepAlive: false, requestVersion: .http1_1, defaults: loop.context.encodedDefaults))
        outbound.append(response.body)
        flush()
    }

    // MARK: Streaming

    private func startStreaming(_ stream: ResponseBodyStream, response: HTTPResponse, head: HTTPRequestHead) {
        // HTTP/1.0 has no chunked coding: the body ends with the connection.
        let chunked = head.version != .http1_0
        let keepAlive = state.responseQueued(clientKeepsAlive: head.keepAlive, framed: chunked, draining: loop.isDraining, streamed: true)
        outbound.append(
            ResponseHeadWriter.head(
                for: response, bodyLength: nil, date: loop.dateLine(), keepAlive: keepAlive,
                requestVersion: head.version, defaults: loop.context.encodedDefaults, chunked: chunked))
        let status = response.status.code
        Task(executorPreference: loop) {
            var total = 0
            do {
                while let piece = try await stream.next() {
                    guard !piece.isEmpty else { continue }
                    total += piece.count
                    guard await self.send(chunked ? Self.chunk(piece) : piece) else { return }
                }
                if chunked { guard await self.send(Array("0\r\n\r\n".utf8)) else { return } }
                let bytes = total
                self.loop.runOnLoop { self.finishStreaming(head: head, status: status, bytes: bytes) }
            } catch {
                self.loop.context.configuration.errorLog?("stream error \(type(of: error)) for \(head.method) \(head.path)")
                self.loop.runOnLoop { self.close() }
            }
        }
        flush()
    }

    /// Queues `bytes` and waits until they are with the kernel; false when the connection went away.
    private func send(_ bytes: [UInt8]) async -> Bool {
        await withCheckedContinuation { continuation in
            loop.runOnLoop {
                guard self.phase == .responding, self.state.streaming else {
                    continuation.resume(returning: false)
                    return
                }
                self.outbound.append(bytes)
                self.streamWaiter = continuation
                self.flush()
            }
        }
    }

    private func finishStreaming(head: HTTPRequestHead, status: Int, bytes: Int) {
        guard state.streamFinished() else { return }
        if let log = loop.context.configuration.accessLog {
            log(
                AccessLogEntry(
                    method: head.method, path: head.path, status: status, bodyBytes: bytes,
                    durationMicroseconds: MonotonicClock.microseconds() - requestStartMicros))
        }
        if outbound.isEmpty { flushed() } else { flush() }
    }

    static func chunk(_ piece: [UInt8]) -> [UInt8] {
        Array(String(piece.count, radix: 16).utf8) + [.cr, .lf] + piece + [.cr, .lf]
    }

    // MARK: Writing

    private func flush() {
        while !outbound.isEmpty {
            switch outbound.write(to: fd) {
            case .wrote:
                continue
            case .wouldBlock:
                state.writeBlocked(now: loop.now)
                return
            case .failed:
                close()
                return
            }
        }
        flushed()
    }

    /// The queued bytes are all with the kernel: go on with the next request, or close.
    private func flushed() {
        switch state.flushed(now: loop.now, inboundEmpty: inbound.isEmpty) {
        case .resumeStream:
            let waiter = streamWaiter
            streamWaiter = nil
            waiter?.resume(returning: true)
        case .linger:
            shutdown(fd, Int32(SHUT_WR))
            inbound.consume(inbound.count)
            discardInput()
        case .close:
            close()
        case .readNextRequest:
            advance()
        case .nothing:
            return
        }
    }

    func close() {
        guard state.closed() else { return }
        let waiter = streamWaiter
        streamWaiter = nil
        waiter?.resume(returning: false)
        pendingBody = nil
        outbound.removeAll()
        loop.connectionClosed(self)
        Glibc.close(fd)
    }
}
#endif
