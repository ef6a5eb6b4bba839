import Foundation

/// A login from phone number, from the backchannel request until its tokens are issued.
struct PendingLogin: Sendable {
    enum Status: Sendable, Equatable {
        case pending
        /// Confirmed in the app, with what userinfo will report of the consents and terms.
        case confirmed(consents: ConsentAnswers)
        case denied
        /// Tokens issued (poll) or code handed to the phone's browser (redirect).
        case completed
    }

    let authReqID: String
    let clientID: String
    let msisdn: String
    let scopes: [String]
    let bindingMessage: String?
    /// Set for `requested_flow=login_to_webpage`.
    let redirectURI: String?
    let createdAt: Date
    let expiresAt: Date
    var interval: Int
    var lastPollAt: Date?
    var status: Status = .pending

    var asksForConsents: Bool { scopes.contains("delegatedConsents") }
    var asksForFlow: Bool { scopes.contains("customFlow") }
    var asksForAgreement: Bool { scopes.contains("agreement") }
}

/// A single-use code: from the CIBA redirect or from the browser flow.
struct IssuedCode: Sendable {
    enum Kind: Sendable { case cibaRedirect, authorizationCode }

    let kind: Kind
    let clientID: String
    let msisdn: String
    let scopes: [String]
    let consents: ConsentAnswers
    let authReqID: String?
    let nonce: String?
    let redirectURI: String?
    let codeChallenge: String?
    let codeChallengeMethod: String?
    let expiresAt: Date
    var used = false
}

/// What an access token lets its holder read at userinfo.
struct AccessGrant: Sendable {
    let msisdn: String
    let scopes: [String]
    let consents: ConsentAnswers
    let consentTime: Date
    let expiresAt: Date
}

/// A browser-flow login waiting for the user to enter their number and confirm.
struct BrowserSession: Sendable {
    let id: String
    let clientID: String
    let redirectURI: String
    let scopes: [String]
    let state: String
    let nonce: String?
    let codeChallenge: String?
    let codeChallengeMethod: String?
    var msisdn: String?
    /// Set by `SimulatorState.openSession`.
    var expiresAt = Date.distantFuture
}

/// Faults and variations a test can switch on (`POST /_sim/hooks` or `VippsSimulator.setHooks`).
public struct SimulatorHooks: Codable, Sendable, Equatable {
    /// Added before every answer of the Vipps API.
    public var latencyMilliseconds = 0
    /// The next `failNextCount` API answers get this status (500, 502, 503…) with `server_error`.
    public var failNextStatus: Int?
    public var failNextCount = 0
    /// The next `rateLimitNext` backchannel requests get 429 with `Retry-After`.
    public var rateLimitNext = 0
    /// The next `garbageNext` API answers are 200 with a body that is not JSON.
    public var garbageNext = 0
    /// Sign ID tokens with a key that is not in the JWKS.
    public var signWithUnknownKey = false
    /// `RS256` (as discovery advertises) or `ES256` (as the CIBA-redirect example shows).
    public var algorithm = "RS256"
    /// `auth_req_id` (documented) or `authReqId` (as in Vipps' example token).
    public var authReqIDClaim = "auth_req_id"
    /// Put this audience in ID tokens instead of the client id.
    public var audienceOverride: String?
    /// Answer userinfo for this sub instead of the token's.
    public var userinfoSubOverride: String?
    /// Play this reading of consent memory instead of the configured one.
    public var consentMemory: ConsentMemory?
    /// A new consent configuration saved in the portal: answers remembered for another version are
    /// asked again.
    public var consentConfigurationVersion = 0

    public init() {}

    /// Keys left out keep their defaults, so a test posts only what it changes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        latencyMilliseconds = try container.decodeIfPresent(Int.self, forKey: .latencyMilliseconds) ?? 0
        failNextStatus = try container.decodeIfPresent(Int.self, forKey: .failNextStatus)
        failNextCount = try container.decodeIfPresent(Int.self, forKey: .failNextCount) ?? 0
        rateLimitNext = try container.decodeIfPresent(Int.self, forKey: .rateLimitNext) ?? 0
        garbageNext = try container.decodeIfPresent(Int.self, forKey: .garbageNext) ?? 0
        signWithUnknownKey = try container.decodeIfPresent(Bool.self, forKey: .signWithUnknownKey) ?? false
        algorithm = try container.decodeIfPresent(String.self, forKey: .algorithm) ?? "RS256"
        authReqIDClaim = try container.decodeIfPresent(String.self, forKey: .authReqIDClaim) ?? "auth_req_id"
        audienceOverride = try container.decodeIfPresent(String.self, forKey: .audienceOverride)
        userinfoSubOverride = try container.decodeIfPresent(String.self, forKey: .userinfoSubOverride)
        consentMemory = try container.decodeIfPresent(ConsentMemory.self, forKey: .consentMemory)
        consentConfigurationVersion = try container.decodeIfPresent(Int.self, forKey: .consentConfigurationVersion) ?? 0
    }
}

/// One call to the simulated Vipps API, as tests see it: the path and the `Vipps-System-*` headers it carried.
public struct RecordedCall: Sendable, Equatable {
    public var path: String
    public var systemHeaders: [String: String]

    public static let systemHeaderNames = ["Vipps-System-Name", "Vipps-System-Version", "Vipps-System-Plugin-Name", "Vipps-System-Plugin-Version"]
}
