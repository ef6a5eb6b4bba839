import Foundation
import JWTKit

/// Checks an ID token the way OIDC Core §3.1.3.7 and Vipps' docs ask: signature with an RS256 or ES256
/// key from the JWKS, `iss` exactly, `aud` containing our client id, `exp` and `iat` within a leeway,
/// `nonce` when one was sent, and for logins from phone number the `auth_req_id` they started with.
struct IDTokenVerifier: Sendable {
    let metadata: ProviderMetadata
    let configuration: VippsLoginConfiguration
    let now: @Sendable () -> Date

    private static let allowedAlgorithms: Set<String> = ["RS256", "ES256"]

    func verify(_ token: String, nonce: String?, authReqID: String?) async throws(VippsLoginError) -> IDTokenClaims {
        let header = try Self.header(of: token)
        guard let algorithm = header.alg, Self.allowedAlgorithms.contains(algorithm) else {
            throw .invalidIDToken(reason: "algorithm \(header.alg ?? "none") is not accepted (RS256 or ES256 only)")
        }
        guard let kid = header.kid else { throw .invalidIDToken(reason: "the token names no key (kid)") }
        let (keys, hasKey) = try await metadata.keys(containing: kid)
        guard hasKey else { throw .invalidIDToken(reason: "signed by key \(kid), which is not in Vipps' JWKS") }
        let claims: IDTokenClaims
        do {
            claims = try await keys.verify(token, as: IDTokenClaims.self)
        } catch {
            throw .invalidIDToken(reason: "the signature does not verify")
        }
        let document = try await metadata.document()
        guard claims.iss == document.issuer else { throw .invalidIDToken(reason: "issuer \(claims.iss) is not \(document.issuer)") }
        guard claims.aud.value.contains(configuration.clientID) else { throw .invalidIDToken(reason: "the audience does not include our client id") }
        let current = now()
        guard claims.exp.value.addingTimeInterval(configuration.clockLeeway) > current else { throw .invalidIDToken(reason: "the token has expired") }
        guard claims.iat.value.addingTimeInterval(-configuration.clockLeeway) <= current else {
            throw .invalidIDToken(reason: "the token was issued in the future")
        }
        if let nonce, claims.nonce != nonce { throw .invalidIDToken(reason: "the nonce does not match the one we sent") }
        if let authReqID, claims.authReqID != authReqID {
            throw .invalidIDToken(
                reason: claims.authReqID == nil ? "the token has no auth_req_id" : "the token belongs to another login (auth_req_id differs)")
        }
        return claims
    }

    struct Header: Decodable {
        var alg: String?
        var kid: String?
    }

    static func header(of token: String) throws(VippsLoginError) -> Header {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let data = Data(base64URL: String(parts[0])),
            let header = try? JSONDecoder().decode(Header.self, from: data)
        else {
            throw .invalidIDToken(reason: "it is not a signed JWT")
        }
        return header
    }
}
