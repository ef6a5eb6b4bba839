#if canImport(Glibc)
import Glibc
#endif

/// A failed system call: which one, and its errno.
public struct SocketError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    public var code: Int32

    public init(operation: String, code: Int32) {
        self.operation = operation
        self.code = code
    }

    public var description: String { "\(operation): \(String(cString: strerror(code))) (errno \(code))" }
}
