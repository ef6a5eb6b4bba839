import Dispatch
import Foundation

/// Where webhooks may go: an `https` URL whose host resolves only to public addresses, connected to
/// at exactly the address that was checked (`PinnedTarget`), so a name that resolves differently a
/// moment later (DNS rebinding) changes nothing. Loopback, private, link-local, multicast, reserved,
/// documentation, NAT64 and 6to4/Teredo ranges, IPv4 inside IPv6, and scoped IPv6 addresses are refused
/// (a webhook must not become a way into the merchant's own network). `serve
/// --allow-private-webhook-targets` allows plain http and every address (tests, a receiver on loopback);
/// the connection is still pinned.
enum WebhookTargets {
    /// Why a URL may not be registered or called; `message` is for logs and the CLI (the admin page
    /// says it in the visitor's language).
    enum Refusal: Error, Equatable {
        case notAURL
        case httpsOnly
        case internalAddress
        case doesNotResolve

        var message: String {
            switch self {
            case .notAURL: "not an https URL with a host (and no user name, password or IPv6 zone)"
            case .httpsOnly: "only https URLs are allowed (plain http only with --allow-private-webhook-targets)"
            case .internalAddress: "the host is or resolves to an internal address (loopback, private, link-local or reserved)"
            case .doesNotResolve: "the host does not resolve"
            }
        }
    }

    /// A URL whose host was resolved and checked once, and the address the connection must go to.
    struct PinnedTarget: Sendable, Equatable {
        var url: String
        var address: String
        var allowPlainHTTP: Bool
    }

    static let internalNetworks: [AddressRange] = [
        // IPv4 (RFC 6890 and the IANA special-purpose registry)
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
        "224.0.0.0/4", "240.0.0.0/4",
        // IPv6 (::/128, ::1, ::ffff:0:0/96 and ::/96 are judged by the IPv4 address inside: `isInternal(bytes:)`)
        "::ffff:0:0:0/96", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32", "2002::/16",
        "3fff::/20", "5f00::/16", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
    ].map { AddressRange($0)! }

    /// Whether an address given as text is internal; anything that is not a plain IPv4 or IPv6 address
    /// (a zone, a name) counts as internal.
    static func isInternal(_ address: String) -> Bool {
        guard !address.contains("%"), let bytes = AddressRange.parse(address) else { return true }
        return isInternal(bytes: bytes)
    }

    static func isInternal(bytes: [UInt8]) -> Bool {
        if bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }),
            (bytes[10] == 0xFF && bytes[11] == 0xFF) || (bytes[10] == 0 && bytes[11] == 0)
        {
            // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d, with :: and ::1) reach the IPv4 address.
            return isInternal(bytes: Array(bytes[12..<16]))
        }
        return internalNetworks.contains { $0.contains(bytes) }
    }

    /// The checks that need no name lookup, for registering an endpoint: an http(s) URL with a host, no
    /// user name or password, no IPv6 zone, https unless private targets are allowed, and not an
    /// internal address written as a literal.
    static func registrationRefusal(_ url: String, allowPrivate: Bool) -> Refusal? {
        switch parse(url, allowPrivate: allowPrivate) {
        case .failure(let refusal): return refusal
        case .success(let host):
            if !allowPrivate, AddressRange.parse(host) != nil, isInternal(host) { return .internalAddress }
            return nil
        }
    }

    /// The URL checked and pinned: its host resolved once, refused when any address is internal.
    static func pin(_ url: String, allowPrivate: Bool) async -> Result<PinnedTarget, Refusal> {
        let host: String
        switch parse(url, allowPrivate: allowPrivate) {
        case .failure(let refusal): return .failure(refusal)
        case .success(let parsed): host = parsed
        }
        let addresses = await resolve(host)
        guard let first = addresses.first else { return .failure(.doesNotResolve) }
        if !allowPrivate, addresses.contains(where: { $0.scoped || isInternal(bytes: $0.bytes) }) { return .failure(.internalAddress) }
        return .success(PinnedTarget(url: url, address: first.text, allowPlainHTTP: allowPrivate))
    }

    /// The host, once the URL passed the checks that need no lookup.
    private static func parse(_ url: String, allowPrivate: Bool) -> Result<String, Refusal> {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            ["http", "https"].contains(scheme), let host = components.host, !host.isEmpty,
            components.user == nil, components.password == nil,
            !(components.percentEncodedHost ?? "").contains("%"), !host.contains("%"),
            url.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
        else { return .failure(.notAURL) }
        if scheme == "http" && !allowPrivate { return .failure(.httpsOnly) }
        return .success(host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host)
    }

    struct ResolvedAddress: Sendable {
        var bytes: [UInt8]
        var text: String
        /// An IPv6 address with a zone (interface): never public.
        var scoped: Bool
    }

    /// The host's addresses (a literal gives itself), resolved on a thread of their own: getaddrinfo
    /// blocks, and has no deadline of ours. After `timeout`, or when the caller is cancelled (SIGTERM),
    /// the answer is "none" and the lookup is left to finish on its own.
    static func resolve(_ host: String, timeout: Duration = .seconds(5)) async -> [ResolvedAddress] {
        let waiting = Locked<CheckedContinuation<[ResolvedAddress], Never>?>(nil)
        let answer: @Sendable ([ResolvedAddress]) -> Void = { addresses in
            waiting.withLock { continuation in
                defer { continuation = nil }
                return continuation
            }?.resume(returning: addresses)
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                waiting.withLock { $0 = continuation }
                if Task.isCancelled { return answer([]) }
                let (seconds, attoseconds) = timeout.components
                DispatchQueue.global().asyncAfter(deadline: .now() + Double(seconds) + Double(attoseconds) * 1e-18) { answer([]) }
                DispatchQueue.global().async { answer(lookUp(host)) }
            }
        } onCancel: {
            answer([])
        }
    }

    private static func lookUp(_ host: String) -> [ResolvedAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0 else { return [] }
        defer { freeaddrinfo(result) }
        var addresses: [ResolvedAddress] = []
        var entry = result
        while let info = entry {
            entry = info.pointee.ai_next
            guard let address = info.pointee.ai_addr else { continue }
            if info.pointee.ai_family == AF_INET {
                let ipv4 = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                let bytes = withUnsafeBytes(of: ipv4) { Array($0) }
                addresses.append(ResolvedAddress(bytes: bytes, text: text(bytes, family: AF_INET), scoped: false))
            } else if info.pointee.ai_family == AF_INET6 {
                let ipv6 = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee }
                let bytes = withUnsafeBytes(of: ipv6.sin6_addr) { Array($0) }
                addresses.append(ResolvedAddress(bytes: bytes, text: text(bytes, family: AF_INET6), scoped: ipv6.sin6_scope_id != 0))
            }
        }
        return addresses
    }

    private static func text(_ address: [UInt8], family: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        _ = address.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &buffer, socklen_t(buffer.count)) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// A range of IPv4 or IPv6 addresses (`10.0.0.0/8`, `fe80::/10`), compared on the bytes.
struct AddressRange: Sendable {
    let bytes: [UInt8]
    let prefixLength: Int

    init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard parts.count == 2, let bytes = Self.parse(String(parts[0])), let length = Int(parts[1]), (0...bytes.count * 8).contains(length)
        else { return nil }
        self.bytes = bytes
        prefixLength = length
    }

    func contains(_ address: [UInt8]) -> Bool {
        guard address.count == bytes.count else { return false }
        var remaining = prefixLength
        for index in 0..<bytes.count where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if bytes[index] & mask != address[index] & mask { return false }
            remaining -= bits
        }
        return true
    }

    /// 4 bytes for a dotted IPv4 address, 16 for IPv6; nil for anything else (names, zones, other forms).
    static func parse(_ text: String) -> [UInt8]? {
        var ipv4 = in_addr()
        if inet_pton(AF_INET, text, &ipv4) == 1 { return withUnsafeBytes(of: &ipv4) { Array($0) } }
        var ipv6 = in6_addr()
        if inet_pton(AF_INET6, text, &ipv6) == 1 { return withUnsafeBytes(of: &ipv6) { Array($0) } }
        return nil
    }
}
