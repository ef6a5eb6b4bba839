import Dispatch
import Foundation
import Glibc

/// A TCP client that speaks bytes, so the tests can send exactly what they mean (pipelined, split,
/// malformed) and read exactly what the server wrote. Its reads block, so they run on a serial Dispatch
/// queue of its own: blocking Swift's cooperative pool (two threads here) would stall the other tests,
/// and the global queue is only as wide as the cores, shared with whatever else the tests run there.
/// One test uses a client at a time.
public final class RawClient: @unchecked Sendable {
    public struct Response: Sendable {
        public var status: Int
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]

        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    public enum Failure: Error {
        case connect(Int32)
        case timedOut
        case closed
        case malformed(String)
    }

    public let fd: Int32
    private var buffer: [UInt8] = []
    private let queue = DispatchQueue(label: "velkommen.test.rawclient")

    /// Connects to 127.0.0.1:`port`; reads give up after `timeout` seconds.
    public init(port: Int, timeout: Double = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        // No close here: every stored property is set, so deinit runs on throw and closes fd. Closing
        // twice would close whatever socket reused the number meanwhile (another test's server).
        guard result == 0 else { throw Failure.connect(errno) }
        setTimeout(timeout)
    }

    deinit { close(fd) }

    public func setTimeout(_ seconds: Double) {
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    public func send(_ text: String) { send(Array(text.utf8)) }

    public func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { return }
            offset += written
        }
    }

    /// Reads one response (a 1xx counts as one); the body by Content-Length, chunked, or to the close.
    public func readResponse(head isHead: Bool = false) async throws -> Response {
        try await offThePool { try self.blockingReadResponse(head: isHead) }
    }

    /// Everything until the peer closes (or the read times out).
    public func readUntilClosed() async -> [UInt8] {
        await offThePool { self.blockingReadUntilClosed() }
    }

    /// Whether the server closes the connection within the read timeout, discarding what it sent.
    public func closesConnection() async -> Bool {
        await offThePool { self.blockingClosesConnection() }
    }

    private func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }

    private func offThePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }

    /// `readResponse`, blocking the calling thread: for a test that times the server from a thread of
    /// its own, where stalls of the shared pool cannot reach.
    public func blockingReadResponse(head isHead: Bool = false) throws -> Response {
        let headEnd = try fill(until: { $0.firstRange(of: Array("\r\n\r\n".utf8))?.upperBound })
        let lines = String(decoding: buffer[..<(headEnd - 4)], as: UTF8.self).components(separatedBy: "\r\n")
        buffer.removeFirst(headEnd)
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw Failure.malformed(lines[0]) }
        let headers = lines.dropFirst().map { line -> (String, String) in
            let pair = line.split(separator: ":", maxSplits: 1)
            return (String(pair[0]), pair.count > 1 ? String(pair[1].drop { $0 == " " }) : "")
        }
        var response = Response(status: status, headers: headers, body: [])
        if isHead || status < 200 || status == 204 || status == 304 { return response }
        if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            while true {
                let lineEnd = try fill(until: { $0.prefix(64).firstRange(of: Array("\r\n".utf8))?.upperBound })
                guard let size = Int(String(decoding: buffer[..<(lineEnd - 2)], as: UTF8.self), radix: 16) else {
                    throw Failure.malformed("chunk size")
                }
                buffer.removeFirst(lineEnd)
                _ = try fill(until: { $0.count >= size + 2 ? size + 2 : nil })
                response.body += buffer[..<size]
                buffer.removeFirst(size + 2)
                if size == 0 { break }
            }
        } else if let length = response.header("Content-Length").flatMap(Int.init) {
            _ = try fill(until: { $0.count >= length ? length : nil })
            response.body = Array(buffer[..<length])
            buffer.removeFirst(length)
        } else {
            response.body = blockingReadUntilClosed()
        }
        return response
    }

    private func blockingReadUntilClosed() -> [UInt8] {
        while (try? receive()) == true {}
        defer { buffer = [] }
        return buffer
    }

    private func blockingClosesConnection() -> Bool {
        while true {
            do {
                guard try receive() else { return true }
            } catch {
                return false
            }
        }
    }

    private func fill(until done: ([UInt8]) -> Int?) throws -> Int {
        while true {
            if let result = done(buffer) { return result }
            guard try receive() else { throw Failure.closed }
        }
    }

    /// One recv; false at end of stream; throws on timeout.
    private func receive() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
        if count > 0 {
            buffer += chunk[..<count]
            return true
        }
        if count == 0 { return false }
        if errno == EAGAIN || errno == EWOULDBLOCK { throw Failure.timedOut }
        return false
    }
}
