import Glibc

/// The key a per-client rate limit counts under: an IPv4 address as it is, an IPv6 address by its /64.
/// One IPv6 subscriber is handed a whole /64 (often a /56 or /48), so per-address limits would give
/// them 2^64 fresh starts; an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) counts as its IPv4.
enum ClientNetwork {
    static func key(_ address: String) -> String { keys(address).client }

    /// The client's key, and for IPv6 the /48 around its /64 (a site's usual allocation: 65,536 /64s,
    /// each a fresh client), which a wider limit counts too.
    static func keys(_ address: String) -> (client: String, site: String?) {
        var text = address
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") { text = String(text[text.index(after: text.startIndex)..<close]) }
        if let percent = text.firstIndex(of: "%") { text = String(text[..<percent]) }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return (text, nil) }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return (address, nil) }
        let bytes = withUnsafeBytes(of: v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff {
            return (bytes[12..<16].map(String.init).joined(separator: "."), nil)
        }
        let groups = stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
        return (groups.joined(separator: ":") + "::/64", groups.prefix(3).joined(separator: ":") + "::/48")
    }
}
