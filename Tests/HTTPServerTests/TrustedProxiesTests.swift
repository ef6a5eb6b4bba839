import Testing

@testable import HTTPServer

@Suite("Trusted proxies: the client's address behind a reverse proxy, and never from anyone else")
struct TrustedProxiesTests {
    static let proxies = TrustedProxies(["127.0.0.1", "10.0.0.0/8", "::1"].map { IPNetwork($0)! })

    @Test(
        "the client address is the rightmost hop not itself a trusted proxy",
        arguments: [
            // peer, X-Forwarded-For, Forwarded, expected
            ("127.0.0.1", "203.0.113.7", "", "203.0.113.7"),
            ("127.0.0.1", "198.51.100.1, 203.0.113.7", "", "203.0.113.7"),
            ("127.0.0.1", "203.0.113.7, 10.1.2.3", "", "203.0.113.7"),
            ("127.0.0.1", "6.6.6.6, 203.0.113.7", "", "203.0.113.7"),
            ("127.0.0.1", "10.0.0.5, 10.0.0.6", "", "10.0.0.5"),
            ("127.0.0.1", "", "for=203.0.113.9;proto=https", "203.0.113.9"),
            ("127.0.0.1", "", "for=\"[2001:db8::17]:4711\"", "2001:db8::17"),
            ("127.0.0.1", "not-an-address", "", "127.0.0.1"),
            ("127.0.0.1", "", "", "127.0.0.1"),
            ("::1", "203.0.113.7", "", "203.0.113.7"),
            ("::ffff:10.9.9.9", "203.0.113.7", "", "203.0.113.7"),
            // Not a trusted peer: its headers are ignored.
            ("198.51.100.77", "1.2.3.4", "for=5.6.7.8", "198.51.100.77"),
        ])
    func client(peer: String, forwardedFor: String, forwarded: String, expected: String) {
        var headers = HTTPHeaders()
        if !forwardedFor.isEmpty { headers.add("X-Forwarded-For", forwardedFor) }
        if !forwarded.isEmpty { headers.add("Forwarded", forwarded) }
        #expect(Self.proxies.clientAddress(peer: peer, headers: headers) == expected)
    }

    @Test("nothing is trusted by default")
    func noneByDefault() {
        var headers = HTTPHeaders()
        headers.add("X-Forwarded-For", "203.0.113.7")
        #expect(TrustedProxies([]).clientAddress(peer: "127.0.0.1", headers: headers) == "127.0.0.1")
    }

    @Test(
        "networks parse in CIDR notation and refuse what is not one",
        arguments: [
            ("10.0.0.0/8", "10.255.1.2", true), ("10.0.0.0/8", "11.0.0.1", false), ("192.168.1.0/24", "192.168.1.200", true),
            ("192.168.1.0/24", "192.168.2.1", false), ("2001:db8::/32", "2001:db8:1::1", true), ("2001:db8::/32", "2001:db9::1", false),
            ("0.0.0.0/0", "8.8.8.8", true), ("127.0.0.1", "127.0.0.2", false),
        ])
    func networks(network: String, address: String, inside: Bool) throws {
        #expect(try #require(IPNetwork(network)).contains(address) == inside)
    }

    @Test("bad networks are refused", arguments: ["10.0.0.0/33", "10.0.0/8", "example.com", "", "::1/129", "10.0.0.0/-1", "1.2.3.4/x"])
    func badNetworks(_ text: String) {
        #expect(IPNetwork(text) == nil)
    }
}
