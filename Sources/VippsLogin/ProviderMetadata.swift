import Foundation
import JWTKit
import OutboundHTTP

/// Vipps' discovery document and signing keys, fetched on demand and cached: discovery for its
/// `Cache-Control: max-age` (an hour), the keys until a token names a key id we do not have, which
/// fetches them again at most once a minute (so a flood of forged tokens cannot make us hammer Vipps).
actor ProviderMetadata {
    private let configuration: VippsLoginConfiguration
    private let transport: HTTPTransport
    private var discovery: (document: OpenIDConfiguration, expires: Date)?
    private var keys: JWTKeyCollection?
    /// The key ids in the last JWKS: jwt-kit falls back to a default key for an unknown id, so the
    /// check that a token's key is Vipps' own is made here.
    private var keyIDs: Set<String> = []
    private var keysFetchedAt: Date?
    private let now: @Sendable () -> Date

    init(configuration: VippsLoginConfiguration, transport: HTTPTransport, now: @escaping @Sendable () -> Date = Date.init) {
        self.configuration = configuration
        self.transport = transport
        self.now = now
    }

    func document() async throws(VippsLoginError) -> OpenIDConfiguration {
        if let discovery, discovery.expires > now() { return discovery.document }
        let answer = try await transport.send(OutboundRequest(get: configuration.discoveryURL, headers: configuration.systemHeaders))
        guard answer.status == 200 else { throw answer.error() }
        let document: OpenIDConfiguration
        do {
            document = try JSONDecoder().decode(OpenIDConfiguration.self, from: answer.body)
        } catch {
            throw .badResponse("the discovery document is not valid (\(error))")
        }
        guard document.issuer == configuration.issuer.absoluteString else {
            throw .issuerMismatch(configured: configuration.issuer.absoluteString, discovered: document.issuer)
        }
        discovery = (document, now().addingTimeInterval(Self.maxAge(answer.header("Cache-Control")) ?? 3600))
        return document
    }

    /// The key collection and whether it holds key `kid`; fetches the JWKS again for an unknown id,
    /// at most once a minute.
    func keys(containing kid: String) async throws(VippsLoginError) -> (keys: JWTKeyCollection, hasKey: Bool) {
        if let keys {
            if keyIDs.contains(kid) { return (keys, true) }
            if let fetched = keysFetchedAt, now().timeIntervalSince(fetched) < 60 { return (keys, false) }
        }
        let keys = try await fetchKeys()
        return (keys, keyIDs.contains(kid))
    }

    /// The ids of the keys in Vipps' JWKS, fetched now (for `velkommen check`).
    func fetchKeyIDs() async throws(VippsLoginError) -> Set<String> {
        _ = try await fetchKeys()
        return keyIDs
    }

    private func fetchKeys() async throws(VippsLoginError) -> JWTKeyCollection {
        let document = try await document()
        let answer = try await transport.send(OutboundRequest(get: document.jwksURI))
        guard answer.status == 200 else { throw answer.error() }
        let collection = JWTKeyCollection()
        let jwks: JWKS
        do {
            jwks = try JSONDecoder().decode(JWKS.self, from: answer.body)
            try await collection.add(jwks: jwks)
        } catch {
            throw .badResponse("the JWKS is not valid (\(error))")
        }
        keys = collection
        keyIDs = Set(jwks.keys.compactMap { $0.keyIdentifier?.string })
        keysFetchedAt = now()
        return collection
    }

    static func maxAge(_ cacheControl: String?) -> TimeInterval? {
        guard let cacheControl else { return nil }
        for directive in cacheControl.split(separator: ",") {
            let parts = directive.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "max-age", let seconds = TimeInterval(parts[1]) { return seconds }
        }
        return nil
    }
}
