import Foundation

/// How Velkommen talks to Vipps Login: the issuer to discover, the client's credentials and how they
/// are sent, optional partner and system headers, and the time limits.
public struct VippsLoginConfiguration: Sendable {
    /// How the client authenticates at the token and backchannel endpoints (a per-sales-unit setting at Vipps).
    public enum TokenAuthMethod: String, Sendable, CaseIterable {
        case clientSecretBasic = "client_secret_basic"
        case clientSecretPost = "client_secret_post"
    }

    /// The issuer, ending in `/access-management-1.0/access/`; discovery is `{issuer}.well-known/openid-configuration`.
    public var issuer: URL
    public var clientID: String
    public var clientSecret: String
    public var tokenAuthMethod: TokenAuthMethod = .clientSecretBasic
    /// Sent as `Merchant-Serial-Number` (required for partners).
    public var merchantSerialNumber: String?
    /// `Vipps-System-Name`, `-Version`, `-Plugin-Name`, `-Plugin-Version` (each at most 30 characters), sent
    /// on every call: the first thing Vipps' support asks for.
    public var systemHeaders: [String: String] = SystemHeaders.velkommen
    /// Time to wait for a connection.
    public var connectTimeout: TimeInterval = 5
    /// Time for a whole request, answer included.
    public var totalTimeout: TimeInterval = 15
    /// Time for the user-exists check before a start: it is only a courtesy, so a slow answer costs the
    /// till at most this before the login is started anyway.
    public var userExistsTimeout: TimeInterval = 1.5
    /// Tolerance for clock differences when checking `exp` and `iat`.
    public var clockLeeway: TimeInterval = 60
    /// Told of every call to Vipps when it ends (for metrics); nil costs nothing.
    public var observe: (@Sendable (VippsCall) -> Void)?

    public init(issuer: URL, clientID: String, clientSecret: String) {
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
    }

    /// The discovery document's address.
    public var discoveryURL: URL {
        let base = issuer.absoluteString.hasSuffix("/") ? issuer.absoluteString : issuer.absoluteString + "/"
        return URL(string: base + ".well-known/openid-configuration")!
    }
}

/// One call to Vipps as metrics see it: which endpoint, how long, and how it ended.
public struct VippsCall: Sendable {
    /// `discovery`, `jwks`, `backchannel`, `token`, `userinfo`, `user-exists` or `other`.
    public var endpoint: String
    public var duration: Duration
    /// The HTTP status, or nil when no answer came (timeout, connection failure).
    public var status: Int?

    static func endpoint(of url: URL?) -> String {
        let path = url?.path ?? ""
        for (needle, name) in [
            ("openid-configuration", "discovery"), ("jwks", "jwks"), ("backchannel", "backchannel"), ("token", "token"),
            ("userinfo", "userinfo"), ("user-exists", "user-exists"),
        ] where path.contains(needle) {
            return name
        }
        return "other"
    }
}
