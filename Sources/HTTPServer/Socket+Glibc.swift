#if canImport(Glibc)
import CLinuxEvents
import Glibc

/// The socket system calls the server uses, on Linux. All sockets are non-blocking and close-on-exec.
enum Socket {
    /// A bound, listening socket and the port it got (useful when asked for port 0).
    static func listen(host: String, port: Int, backlog: Int32) throws(SocketError) -> (fd: Int32, port: Int) {
        var storage = sockaddr_storage()
        let length = try fill(&storage, host: host, port: port)
        let family = Int32(storage.ss_family)
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError(operation: "socket", code: errno) }
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw SocketError(operation: "bind \(host):\(port)", code: code)
        }
        guard Glibc.listen(fd, backlog) == 0 else {
            let code = errno
            close(fd)
            throw SocketError(operation: "listen", code: code)
        }
        return (fd, localPort(fd))
    }

    /// What one `accept4` gave.
    enum AcceptOutcome {
        case accepted(fd: Int32, remoteAddress: String)
        case wouldBlock
        /// EMFILE/ENFILE/ENOBUFS/ENOMEM: the process or system is out of something; back off.
        case outOfResources
        /// The peer gave up before we accepted it, or a signal interrupted: try the next one.
        case retry
    }

    static func accept(_ listenFD: Int32) -> AcceptOutcome {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let fd = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                accept4(listenFD, $0, &length, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
            }
        }
        guard fd >= 0 else {
            switch errno {
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case EMFILE, ENFILE, ENOBUFS, ENOMEM: return .outOfResources
            default: return .retry
            }
        }
        // Without it, a response written in more than one segment waits ~40 ms for a delayed ACK
        // (docs/decisions.md: the 40 ms delayed-ACK stall).
        var on: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        return .accepted(fd: fd, remoteAddress: address(of: storage))
    }

    /// Raises the soft limit on open files to the hard limit, so that the connection cap, not the
    /// descriptor limit, is what stops accepting. Returns the limit in force.
    @discardableResult
    static func raiseDescriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return Int(clamping: limit.rlim_cur)
    }

    private static func fill(_ storage: inout sockaddr_storage, host: String, port: Int) throws(SocketError) -> socklen_t {
        guard (0...65_535).contains(port) else { throw SocketError(operation: "port \(port)", code: EINVAL) }
        let name = host == "localhost" ? "127.0.0.1" : host
        var ipv4 = sockaddr_in()
        if inet_pton(AF_INET, name, &ipv4.sin_addr) == 1 {
            ipv4.sin_family = sa_family_t(AF_INET)
            ipv4.sin_port = in_port_t(UInt16(port).bigEndian)
            withUnsafeMutableBytes(of: &storage) { target in withUnsafeBytes(of: ipv4) { target.copyMemory(from: $0) } }
            return socklen_t(MemoryLayout<sockaddr_in>.size)
        }
        var ipv6 = sockaddr_in6()
        let bare = name.hasPrefix("[") && name.hasSuffix("]") ? String(name.dropFirst().dropLast()) : name
        guard inet_pton(AF_INET6, bare, &ipv6.sin6_addr) == 1 else {
            throw SocketError(operation: "address \(host) (use a numeric IPv4 or IPv6 address)", code: EINVAL)
        }
        ipv6.sin6_family = sa_family_t(AF_INET6)
        ipv6.sin6_port = in_port_t(UInt16(port).bigEndian)
        withUnsafeMutableBytes(of: &storage) { target in withUnsafeBytes(of: ipv6) { target.copyMemory(from: $0) } }
        return socklen_t(MemoryLayout<sockaddr_in6>.size)
    }

    private static func localPort(_ fd: Int32) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return withUnsafeBytes(of: storage) { raw in
            // sin_port and sin6_port sit at the same offset, right after the family.
            Int(UInt16(bigEndian: raw.load(fromByteOffset: 2, as: UInt16.self)))
        }
    }

    private static func address(of storage: sockaddr_storage) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        var copy = storage
        let family = Int32(storage.ss_family)
        let ok: Bool = withUnsafePointer(to: &copy) { pointer in
            pointer.withMemoryRebound(to: UInt8.self, capacity: MemoryLayout<sockaddr_storage>.size) { bytes in
                let offset = family == AF_INET ? 4 : 8  // sin_addr / sin6_addr
                return inet_ntop(family, bytes + offset, &buffer, socklen_t(buffer.count)) != nil
            }
        }
        return ok ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
    }
}
#endif
