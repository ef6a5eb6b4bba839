/// Behind a reverse proxy every request comes from the proxy's address. When the socket peer is one of
/// the `trusted` networks, the client's address is taken from `X-Forwarded-For` (else `Forwarded`): the
/// rightmost address that is not itself a trusted proxy, since everything left of that was written by
/// the client and can be forged. From any other peer those headers are ignored. Nothing is trusted by
/// default. The result is `HTTPRequest.clientAddress`, which rate limits key on.
public struct TrustedProxies: HTTPMiddleware {
    public let trusted: [IPNetwork]

    public init(_ trusted: [IPNetwork]) { self.trusted = trusted }

    public func handle(_ request: HTTPRequest, next: any HTTPHandler) async throws -> HTTPResponse {
        var request = request
        request.clientAddress = clientAddress(peer: request.remoteAddress, headers: request.headers)
        return try await next.handle(request)
    }

    public func clientAddress(peer: String, headers: HTTPHeaders) -> String {
        guard isTrusted(peer) else { return peer }
        var chain = headers.values("X-Forwarded-For").flatMap { $0.split(separator: ",") }.map { $0.trimmingASCIIWhitespace }
        if chain.isEmpty { chain = headers.values("Forwarded").flatMap(Self.forwardedFor) }
        var client = peer
        for hop in chain.reversed() {
            guard IPNetwork.parse(hop) != nil else { break }
            client = hop
            if !isTrusted(hop) { break }
        }
        return client
    }

    private func isTrusted(_ address: String) -> Bool { trusted.contains { $0.contains(address) } }

    /// The `for=` addresses of an RFC 7239 `Forwarded` header, in order, without quotes, brackets or ports.
    static func forwardedFor(_ value: String) -> [String] {
        value.split(separator: ",").compactMap { element in
            for pair in element.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[0].trimmingASCIIWhitespace.lowercased() == "for" else { continue }
                var node = parts[1].trimmingASCIIWhitespace
                if node.hasPrefix("\"") && node.hasSuffix("\"") && node.count >= 2 { node = String(node.dropFirst().dropLast()) }
                if node.hasPrefix("["), let close = node.firstIndex(of: "]") { return String(node[node.index(after: node.startIndex)..<close]) }
                if node.filter({ $0 == ":" }).count == 1, let colon = node.firstIndex(of: ":") { return String(node[..<colon]) }
                return node
            }
            return nil
        }
    }
}

extension StringProtocol {
    var trimmingASCIIWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
