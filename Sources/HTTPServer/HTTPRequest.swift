/// A whole request as handlers see it: the parsed head, the body read in full (up to its route's
/// limit), the parameters the router matched, and the peer's address.
public struct HTTPRequest: Sendable {
    public var head: HTTPRequestHead
    public var body: [UInt8]
    /// Path parameters by name, percent-decoded (`/offers/{slug}` gives `slug`).
    public var pathParameters: [String: String] = [:]
    /// The peer's address, for rate limits; never for logs (it is personal data).
    public var remoteAddress: String
    /// The client's address: the socket peer's, or the one a trusted proxy forwarded (`TrustedProxies`).
    /// Everything keyed by client (rate limits) uses this; never for logs either.
    public var clientAddress: String
    /// What middleware found out for the handlers after it (`AccessRule`s attach who is asking).
    public var attachments = RequestAttachments()

    public init(head: HTTPRequestHead, body: [UInt8] = [], remoteAddress: String = "") {
        self.head = head
        self.body = body
        self.remoteAddress = remoteAddress
        clientAddress = remoteAddress
    }

    public var method: HTTPMethod { head.method }
    /// The path, still percent-encoded.
    public var path: String { head.path }
    /// The query without "?", still encoded.
    public var query: String { head.query }
    public var headers: HTTPHeaders { head.headers }

    /// A path parameter, percent-decoded; nil when the route has none of that name.
    public func parameter(_ name: String) -> String? { pathParameters[name] }
}
