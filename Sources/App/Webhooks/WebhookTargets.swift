import Foundation
import HTTPServer

/// Where webhooks may go: an http(s) URL whose host resolves only to public addresses. Loopback,
/// private, link-local and other internal ranges are refused (a webhook must not become a way into the
/// merchant's own network) unless `serve --allow-private-webhook-targets` says otherwise (tests).
enum WebhookTargets {
    static let internalNetworks = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.168.0.0/16", "::1/128", "::/128", "fc00::/7", "fe80::/10",
    ].compactMap(IPNetwork.init)

    static func isInternal(_ address: String) -> Bool { internalNetworks.contains { $0.contains(address) } }

    /// The URL's addresses, resolved off the caller's thread.
    static func addresses(of host: String) async -> [String] {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var hints = addrinfo()
                hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
                var result: UnsafeMutablePointer<addrinfo>?
                guard getaddrinfo(host, nil, &hints, &result) == 0 else {
                    continuation.resume(returning: [])
                    return
                }
                defer { freeaddrinfo(result) }
                var addresses: [String] = []
                var entry = result
                while let info = entry {
                    var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
                    if getnameinfo(info.pointee.ai_addr, info.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                        addresses.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
                    }
                    entry = info.pointee.ai_next
                }
                continuation.resume(returning: addresses)
            }
        }
    }

    /// Nil when `url` may be called; else why not.
    static func refusal(_ url: String, allowPrivate: Bool) async -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme, ["http", "https"].contains(scheme),
            let host = components.host, !host.isEmpty
        else { return "not an http(s) URL" }
        if allowPrivate { return nil }
        let addresses = await addresses(of: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")))
        guard !addresses.isEmpty else { return "the host does not resolve" }
        return addresses.contains(where: isInternal) ? "the host resolves to an internal address" : nil
    }
}
