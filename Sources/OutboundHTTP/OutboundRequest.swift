/// One outbound HTTP request and the limits it runs under. Nothing is followed: a redirect comes back
/// as the 3xx it is.
public struct OutboundRequest: Sendable {
    public var method: String
    /// An absolute `https` URL (or `http` where `allowPlainHTTP` says so).
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Time for the whole exchange, connection and answer included: a receiver that trickles its answer
    /// is cut off here, not re-armed by every byte.
    public var deadline: Duration
    public var connectTimeout: Duration
    /// The most answer body kept; a longer answer ends the request with `OutboundError.answerTooLarge`.
    public var maxBodyBytes: Int
    /// Whether `http` is allowed beside `https` (the simulator on loopback, tests).
    public var allowPlainHTTP: Bool
    /// The address to connect to, whatever the URL's host resolves to now (the one that was checked);
    /// TLS still verifies the certificate against the URL's host. Also turns off any proxy.
    public var pinnedAddress: String?

    public init(
        method: String = "GET", url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
        deadline: Duration = .seconds(15), connectTimeout: Duration = .seconds(5), maxBodyBytes: Int = 1 << 20,
        allowPlainHTTP: Bool = false, pinnedAddress: String? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.deadline = deadline
        self.connectTimeout = connectTimeout
        self.maxBodyBytes = maxBodyBytes
        self.allowPlainHTTP = allowPlainHTTP
        self.pinnedAddress = pinnedAddress
    }

    /// Sets a header, replacing one of the same name (case-insensitive).
    public mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.name.lowercased() == name.lowercased() }
        headers.append((name, value))
    }
}
