#if canImport(Glibc)
import Glibc
#endif

extension HTTPServer {
    /// Everything the server can be told, with production defaults; built once at start-up.
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        /// 0 picks a free port (tests); `HTTPServer.start()` returns the one bound.
        public var port = 8080
        public var backlog: Int32 = 1024
        /// Event loops, each a thread with its own epoll; one per core by default.
        public var eventLoopCount = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        /// Past this many open connections the server stops accepting until one closes.
        public var maxConnections = 16_384
        public var limits = ParserLimits()
        /// The body limit of routes that set none.
        public var maxBodyBytes = 1 << 20
        /// From a request's first byte to the end of its head (slowloris).
        public var headerReadTimeout: Duration = .seconds(10)
        /// From the end of the head to the end of the body.
        public var bodyReadTimeout: Duration = .seconds(30)
        /// How long a keep-alive connection may sit between requests.
        public var idleTimeout: Duration = .seconds(60)
        /// How long a response may wait for a client that does not read.
        public var writeTimeout: Duration = .seconds(30)
        /// How long in-flight requests get to finish once shutdown starts.
        public var shutdownGracePeriod: Duration = .seconds(10)
        /// Added to every response that does not set the same header itself.
        public var defaultHeaders: HTTPHeaders = SecurityHeaders.defaults
        /// Called once per response, on the event loop: keep it quick. Never given a query string.
        public var accessLog: (@Sendable (AccessLogEntry) -> Void)?
        /// Server-level trouble (out of descriptors, a handler that threw): one line, no personal data.
        public var errorLog: (@Sendable (String) -> Void)?
        /// The answer to a request the server refuses before any handler sees it (too large, malformed,
        /// too slow), given the head when it was read: lets a site answer in its visitor's language.
        /// Nil, or nil returned, is a plain-text status line. Runs on the event loop: keep it quick.
        public var refusal: (@Sendable (HTTPStatus, HTTPRequestHead?) -> HTTPResponse?)?

        public init() {}
    }
}

/// The security headers every response carries unless it sets its own (design.md §4).
public enum SecurityHeaders {
    /// A Content-Security-Policy without 'unsafe-inline': scripts and styles only from our own files.
    public static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    public static let defaults: HTTPHeaders = [
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Content-Security-Policy": contentSecurityPolicy,
        "X-Frame-Options": "DENY",
    ]
}

/// One line of the access log. Holds the path without its query: login codes travel in queries.
public struct AccessLogEntry: Sendable {
    public var method: HTTPMethod
    public var path: String
    public var status: Int
    public var bodyBytes: Int
    /// From the end of the request head to the response being handed to the kernel.
    public var durationMicroseconds: Int
}

extension Duration {
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
