import Foundation
import JWTKit

/// The claims of a Vipps ID token that Velkommen checks or keeps.
public struct IDTokenClaims: JWTPayload, Equatable {
    public var iss: String
    public var sub: String
    public var aud: AudienceClaim
    public var exp: ExpirationClaim
    public var iat: IssuedAtClaim
    /// `""` when no nonce was sent.
    public var nonce: String?
    /// The CIBA login this token finishes. Vipps' docs spell it `auth_req_id`; their example token has
    /// `authReqId` (UNCONFIRMED which production sends), so both are read.
    public var authReqID: String?
    public var sid: String?
    public var msn: String?
    public var jti: String?

    enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, iat, nonce, sid, msn, jti
        case authReqIDSnake = "auth_req_id"
        case authReqIDCamel = "authReqId"
    }

    public init(
        iss: String, sub: String, aud: [String], exp: Date, iat: Date, nonce: String? = nil, authReqID: String? = nil,
        sid: String? = nil, msn: String? = nil, jti: String? = nil
    ) {
        self.iss = iss
        self.sub = sub
        self.aud = AudienceClaim(value: aud)
        self.exp = ExpirationClaim(value: exp)
        self.iat = IssuedAtClaim(value: iat)
        self.nonce = nonce
        self.authReqID = authReqID
        self.sid = sid
        self.msn = msn
        self.jti = jti
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        iss = try container.decode(String.self, forKey: .iss)
        sub = try container.decode(String.self, forKey: .sub)
        aud = try container.decode(AudienceClaim.self, forKey: .aud)
        exp = try container.decode(ExpirationClaim.self, forKey: .exp)
        iat = try container.decode(IssuedAtClaim.self, forKey: .iat)
        nonce = try container.decodeIfPresent(String.self, forKey: .nonce)
        authReqID =
            try container.decodeIfPresent(String.self, forKey: .authReqIDSnake)
            ?? container.decodeIfPresent(String.self, forKey: .authReqIDCamel)
        sid = try container.decodeIfPresent(String.self, forKey: .sid)
        msn = try container.decodeIfPresent(String.self, forKey: .msn)
        jti = try container.decodeIfPresent(String.self, forKey: .jti)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(iss, forKey: .iss)
        try container.encode(sub, forKey: .sub)
        try container.encode(aud, forKey: .aud)
        try container.encode(exp, forKey: .exp)
        try container.encode(iat, forKey: .iat)
        try container.encodeIfPresent(nonce, forKey: .nonce)
        try container.encodeIfPresent(authReqID, forKey: .authReqIDSnake)
        try container.encodeIfPresent(sid, forKey: .sid)
        try container.encodeIfPresent(msn, forKey: .msn)
        try container.encodeIfPresent(jti, forKey: .jti)
    }

    /// The claims are checked by `IDTokenVerifier`, which names the failing check.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}
