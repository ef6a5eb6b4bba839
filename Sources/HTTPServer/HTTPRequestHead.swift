/// The request line and header section of a request, as parsed; path and query stay percent-encoded.
public struct HTTPRequestHead: Sendable {
    /// How the body of a request is delimited (RFC 9112 §6.3).
    public enum BodyFraming: Sendable, Equatable {
        case none
        case contentLength(Int)
        case chunked
    }

    public var method: HTTPMethod
    /// The path of the request target, still percent-encoded, always starting with "/" (or "*").
    public var path: String
    /// The query of the request target without its "?", still encoded; empty when there is none.
    public var query: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var framing: BodyFraming
    /// Whether the client asked to keep the connection open after this exchange.
    public var keepAlive: Bool
    /// Whether the client sent `Expect: 100-continue` and waits for a go-ahead before the body.
    public var expectsContinue: Bool

    public init(
        method: HTTPMethod, path: String, query: String = "", version: HTTPVersion = .http1_1,
        headers: HTTPHeaders = [:], framing: BodyFraming = .none, keepAlive: Bool = true,
        expectsContinue: Bool = false
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.framing = framing
        self.keepAlive = keepAlive
        self.expectsContinue = expectsContinue
    }
}
