import Foundation

/// The parts of Vipps' discovery document the client uses.
public struct OpenIDConfiguration: Codable, Sendable, Equatable {
    public var issuer: String
    public var authorizationEndpoint: URL
    public var tokenEndpoint: URL
    public var jwksURI: URL
    public var userinfoEndpoint: URL
    /// Missing in Vipps' documented sample, present in the real document.
    public var backchannelAuthenticationEndpoint: URL?

    enum CodingKeys: String, CodingKey {
        case issuer
        case authorizationEndpoint = "authorization_endpoint"
        case tokenEndpoint = "token_endpoint"
        case jwksURI = "jwks_uri"
        case userinfoEndpoint = "userinfo_endpoint"
        case backchannelAuthenticationEndpoint = "backchannel_authentication_endpoint"
    }

    /// Where the CIBA request goes: from discovery, else the documented path on the issuer's host.
    func backchannelEndpoint(issuer: URL) -> URL {
        backchannelAuthenticationEndpoint ?? URL(string: "/vipps-login-ciba/api/backchannel/authentication", relativeTo: issuer)!.absoluteURL
    }

    /// The user-exists check lives beside the backchannel endpoint.
    func userExistsEndpoint(issuer: URL) -> URL {
        URL(string: "/vipps-login-ciba/api/v1/user-exists", relativeTo: backchannelEndpoint(issuer: issuer))!.absoluteURL
    }
}
