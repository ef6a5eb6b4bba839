import Foundation
import Glibc
import Synchronization

/// An HTTP receiver on 127.0.0.1 made of plain sockets and a thread per connection, that behaves as
/// told: answers properly, trickles its answer, streams a body without end, or is not there at all.
/// For the tests of outbound calls (webhooks, Vipps): what a hostile or broken server does to a client.
public final class TestReceiver: @unchecked Sendable {
    public enum Behaviour: Sendable {
        /// Answers every request with this status and an empty body, keeping the connection open.
        case answer(Int)
        /// Sends `200` with a Content-Length of 1,000, then one byte every `every`.
        case trickle(every: Duration)
        /// Sends `200` and then a body that never ends, as fast as the client reads.
        case endless
        /// Accepts a connection and says nothing.
        case silent
    }

    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]

        public func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
    }

    public let port: Int
    private let listener: Int32
    private let behaviour: Behaviour
    private let state = Mutex<(requests: [Request], connections: [Int32], stopped: Bool)>(([], [], false))

    public init(_ behaviour: Behaviour) throws {
        self.behaviour = behaviour
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 64) == 0 && getsockname(listener, pointer, &length) == 0
            }
        }
        guard bound else {
            close(listener)
            throw RawClient.Failure.connect(errno)
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// A port where nothing listens: connecting to it is refused.
    public static func refusedPort() throws -> Int {
        let receiver = try TestReceiver(.silent)
        let port = receiver.port
        receiver.stop()
        return port
    }

    public var url: String { "http://127.0.0.1:\(port)/hooks" }

    /// The requests whose body arrived whole, in arrival order.
    public var requests: [Request] { state.withLock { $0.requests } }

    /// Closes the listener and every connection (the threads end on their next read or write). Once
    /// only: a second close would close whatever socket reused the number meanwhile (another test's).
    public func stop() {
        state.withLock { state in
            guard !state.stopped else { return }
            state.stopped = true
            Glibc.shutdown(listener, Int32(SHUT_RDWR))
            close(listener)
            // Under the lock: a connection's thread takes it out of the list before closing it.
            for connection in state.connections { Glibc.shutdown(connection, Int32(SHUT_RDWR)) }
        }
    }

    deinit { stop() }

    private func acceptLoop() {
        while !state.withLock({ $0.stopped }) {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            let open = state.withLock { state in
                if !state.stopped { state.connections.append(connection) }
                return !state.stopped
            }
            guard open else {
                close(connection)
                return
            }
            Thread.detachNewThread { [self] in
                serve(connection)
                state.withLock { $0.connections.removeAll { $0 == connection } }
                close(connection)
            }
        }
    }

    private func serve(_ connection: Int32) {
        var buffer: [UInt8] = []
        while let request = readRequest(connection, &buffer) {
            state.withLock { $0.requests.append(request) }
            switch behaviour {
            case .answer(let status):
                guard write(connection, "HTTP/1.1 \(status) Answer\r\nContent-Length: 0\r\n\r\n") else { return }
            case .trickle(let every):
                guard write(connection, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n") else { return }
                while write(connection, "x") {
                    Thread.sleep(forTimeInterval: Double(every.components.seconds) + Double(every.components.attoseconds) * 1e-18)
                }
                return
            case .endless:
                guard write(connection, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n") else { return }
                let chunk = String(repeating: "endless ", count: 2048)
                while write(connection, chunk) {}
                return
            case .silent:
                var byte: UInt8 = 0
                _ = recv(connection, &byte, 1, 0)
                return
            }
        }
    }

    private func write(_ connection: Int32, _ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    private func readRequest(_ connection: Int32, _ buffer: inout [UInt8]) -> Request? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while true {
            if let end = Self.find(separator, in: buffer) {
                headEnd = end
                break
            }
            guard read(connection, into: &buffer) else { return nil }
        }
        guard let headEnd else { return nil }
        let lines = String(decoding: buffer[..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ")
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        let length = headers.first { $0.name.lowercased() == "content-length" }.flatMap { Int($0.value) } ?? 0
        let bodyStart = headEnd + separator.count
        while buffer.count < bodyStart + length {
            guard read(connection, into: &buffer) else { return nil }
        }
        let body = Array(buffer[bodyStart..<bodyStart + length])
        buffer.removeFirst(bodyStart + length)
        return Request(
            method: requestLine.first.map(String.init) ?? "", path: requestLine.count > 1 ? String(requestLine[1]) : "", headers: headers, body: body)
    }

    private func read(_ connection: Int32, into buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16384)
        let count = recv(connection, &chunk, chunk.count, 0)
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[..<count])
        return true
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<start + needle.count].elementsEqual(needle) {
            return start
        }
        return nil
    }
}
