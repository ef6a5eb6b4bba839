import Foundation
import JWTKit

/// Everything the simulator remembers: pending logins, single-use codes, access tokens, browser
/// sessions and the test hooks. One actor, so each protocol step is atomic (a code cannot be used
/// twice by two racing requests).
actor SimulatorState {
    let configuration: SimulatorConfiguration
    let keys: SimulatorKeys
    var hooks = SimulatorHooks()
    var logins: [String: PendingLogin] = [:]
    var codes: [String: IssuedCode] = [:]
    var grants: [String: AccessGrant] = [:]
    var sessions: [String: BrowserSession] = [:]
    /// Added to the clock, so tests can expire codes and logins without waiting.
    var clockOffset: TimeInterval = 0
    /// Requests to the token endpoint, per grant type: what a test counts to see how much Vipps work a
    /// caller made the app do.
    var tokenRequests: [String: Int] = [:]
    /// The issuer, known once the server has its port.
    var issuer = ""
    /// The last calls to the Vipps API, newest last (at most `recordedLimit`).
    var recorded: [RecordedCall] = []
    static let recordedLimit = 200
    /// Access tokens `/accesstoken/get` issued for the QR API.
    var qrAccessTokens: Set<String> = []
    /// When `forgetExpired()` next looks (simulated time).
    private var nextSweep = Date.distantPast

    init(configuration: SimulatorConfiguration, keys: SimulatorKeys) {
        self.configuration = configuration
        self.keys = keys
    }

    var now: Date { Date().addingTimeInterval(clockOffset) }

    func setIssuer(_ issuer: String) { self.issuer = issuer }

    func record(_ call: RecordedCall) {
        recorded.append(call)
        if recorded.count > Self.recordedLimit { recorded.removeFirst(recorded.count - Self.recordedLimit) }
    }

    func issueQRAccessToken() -> String {
        let token = Self.randomID()
        qrAccessTokens.insert(token)
        return token
    }
    func setHooks(_ hooks: SimulatorHooks) { self.hooks = hooks }
    func countTokenRequest(grantType: String) { tokenRequests[grantType, default: 0] += 1 }
    func advanceClock(by seconds: TimeInterval) { clockOffset += seconds }

    /// Consumes one forced failure, if one is armed.
    func takeForcedFailure() -> Int? {
        guard let status = hooks.failNextStatus, hooks.failNextCount > 0 else { return nil }
        hooks.failNextCount -= 1
        return status
    }

    func takeForcedGarbage() -> Bool {
        guard hooks.garbageNext > 0 else { return false }
        hooks.garbageNext -= 1
        return true
    }

    func takeForcedRateLimit() -> Bool {
        guard hooks.rateLimitNext > 0 else { return false }
        hooks.rateLimitNext -= 1
        return true
    }

    // MARK: Users

    func user(msisdn: String) -> TestUser? { configuration.users.first { $0.msisdn == msisdn } }

    // MARK: Logins from phone number

    func startLogin(
        clientID: String, msisdn: String, scopes: [String], bindingMessage: String?, redirectURI: String?, requestedExpiry: Int?
    ) -> PendingLogin {
        forgetExpired()
        let lifetime = requestedExpiry ?? configuration.loginLifetime
        let login = PendingLogin(
            authReqID: Self.randomID(), clientID: clientID, msisdn: msisdn, scopes: scopes, bindingMessage: bindingMessage,
            redirectURI: redirectURI, createdAt: now, expiresAt: now.addingTimeInterval(TimeInterval(lifetime)),
            interval: configuration.pollInterval)
        logins[login.authReqID] = login
        return login
    }

    func pendingLogins(msisdn: String) -> [PendingLogin] {
        logins.values.filter { $0.msisdn == msisdn && $0.status == .pending && $0.expiresAt > now }.sorted { $0.createdAt < $1.createdAt }
    }

    func login(_ authReqID: String) -> PendingLogin? { logins[authReqID] }

    /// What each user answered before (by phone number) to the merchant's consents of one portal
    /// configuration. Like Vipps since March 2025, accepted consents are not asked again; a new
    /// configuration (`consentConfigurationVersion`) asks everyone again.
    private var memory: [String: RememberedConsents] = [:]

    struct RememberedConsents {
        var version: Int
        var accepted: Set<String> = []
        var flow: [String: Bool]?
    }

    private func remembered(_ msisdn: String) -> RememberedConsents {
        guard let known = memory[msisdn], known.version == hooks.consentConfigurationVersion else {
            return RememberedConsents(version: hooks.consentConfigurationVersion)
        }
        return known
    }

    func rememberedConsents(msisdn: String) -> Set<String> { remembered(msisdn).accepted }

    /// The answers to the merchant's own flow, when the user went through it before.
    func rememberedFlow(msisdn: String) -> [String: Bool]? { remembered(msisdn).flow }

    var consentMemory: ConsentMemory { hooks.consentMemory ?? configuration.consentMemory }

    /// The user confirmed in the app, with the answers to the screens shown (nil where none was). For
    /// the redirect variant, returns where the phone's browser goes.
    func confirm(_ authReqID: String, answers: AppAnswers) -> URL? {
        guard var login = logins[authReqID], login.status == .pending, login.expiresAt > now else { return nil }
        var known = remembered(login.msisdn)
        var consents = ConsentAnswers()
        let everyLogin = consentMemory == .everyLogin
        if login.asksForConsents {
            var merged = Dictionary(uniqueKeysWithValues: configuration.consents.map { ($0.id, known.accepted.contains($0.id)) })
            for (id, accepted) in answers.delegated ?? [:] where merged[id] != nil { merged[id] = merged[id]! || accepted }
            known.accepted.formUnion(merged.filter(\.value).keys)
            if answers.delegated != nil || everyLogin { consents.delegated = merged }
        }
        if login.asksForFlow {
            if let given = answers.flow { known.flow = given }
            if answers.flow != nil || everyLogin { consents.flow = known.flow ?? [:] }
        }
        if login.asksForAgreement, answers.agreement { consents.agreementAcceptedAt = now }
        memory[login.msisdn] = known
        login.status = .confirmed(consents: consents)
        defer { logins[authReqID] = login }
        guard let redirectURI = login.redirectURI else { return nil }
        login.status = .completed
        let code = issueCode(
            IssuedCode(
                kind: .cibaRedirect, clientID: login.clientID, msisdn: login.msisdn, scopes: login.scopes, consents: consents,
                authReqID: login.authReqID, nonce: nil, redirectURI: nil, codeChallenge: nil, codeChallengeMethod: nil,
                expiresAt: now.addingTimeInterval(configuration.codeLifetime)))
        var components = URLComponents(string: redirectURI)!
        components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "code", value: code)]
        return components.url
    }

    func deny(_ authReqID: String) {
        guard var login = logins[authReqID], login.status == .pending else { return }
        login.status = .denied
        logins[authReqID] = login
    }

    /// A poll of the token endpoint (`urn:openid:params:grant-type:ciba`).
    enum PollResult { case tokens(PendingLogin, ConsentAnswers), pending, slowDown, expired, denied, invalidGrant }

    func poll(_ authReqID: String, clientID: String) -> PollResult {
        guard var login = logins[authReqID], login.clientID == clientID, login.redirectURI == nil else { return .invalidGrant }
        if login.status == .denied { return .denied }
        if login.expiresAt <= now, case .pending = login.status { return .expired }
        defer { logins[authReqID] = login }
        switch login.status {
        case .pending:
            if let last = login.lastPollAt, now.timeIntervalSince(last) < TimeInterval(login.interval) {
                login.interval += 5
                login.lastPollAt = now
                return .slowDown
            }
            login.lastPollAt = now
            return .pending
        case .confirmed(let consents):
            login.status = .completed
            return .tokens(login, consents)
        case .completed, .denied:
            return .invalidGrant
        }
    }

    // MARK: Codes

    func issueCode(_ code: IssuedCode) -> String {
        forgetExpired()
        let value = Self.randomID()
        codes[value] = code
        return value
    }

    /// Takes a code for `clientID`: single use, so a second call with the same code fails even when the
    /// first did not finish its token exchange.
    func redeem(_ code: String, clientID: String, kind: IssuedCode.Kind) -> IssuedCode? {
        guard var issued = codes[code], !issued.used else { return nil }
        issued.used = true
        codes[code] = issued
        guard issued.clientID == clientID, issued.kind == kind, issued.expiresAt > now else { return nil }
        return issued
    }

    // MARK: Browser sessions

    /// A browser session lasts as long as a login from phone number would.
    func openSession(_ session: BrowserSession) {
        forgetExpired()
        var session = session
        session.expiresAt = now.addingTimeInterval(TimeInterval(configuration.loginLifetime))
        sessions[session.id] = session
    }

    func session(_ id: String) -> BrowserSession? {
        guard let session = sessions[id], session.expiresAt > now else { return nil }
        return session
    }

    func setSessionUser(_ id: String, msisdn: String) { sessions[id]?.msisdn = msisdn }

    func closeSession(_ id: String) -> BrowserSession? {
        guard let session = sessions.removeValue(forKey: id), session.expiresAt > now else { return nil }
        return session
    }

    // MARK: Forgetting

    /// Drops the logins, codes, tokens and browser sessions that expired more than `forgetAfter` ago:
    /// `velkommen serve` runs the simulator for as long as the app. Runs when something new is recorded,
    /// at most once a minute, so its cost is spread thin.
    func forgetExpired() {
        let now = self.now
        guard now >= nextSweep else { return }
        nextSweep = now.addingTimeInterval(60)
        let horizon = now.addingTimeInterval(-configuration.forgetAfter)
        logins = logins.filter { $0.value.expiresAt > horizon }
        codes = codes.filter { $0.value.expiresAt > horizon }
        grants = grants.filter { $0.value.expiresAt > horizon }
        sessions = sessions.filter { $0.value.expiresAt > horizon }
    }

    /// How many records the simulator holds, for tests of `forgetExpired()`.
    var recordCount: Int { logins.count + codes.count + grants.count + sessions.count }

    // MARK: Tokens

    func grant(_ token: String) -> AccessGrant? {
        guard let grant = grants[token], grant.expiresAt > now else { return nil }
        return grant
    }

    /// Issues an access token and a signed ID token for `user`.
    func issueTokens(
        msisdn: String, clientID: String, scopes: [String], consents: ConsentAnswers, authReqID: String?, nonce: String?,
        accessTokenPrefix: String, lifetime: Int
    ) async throws -> IssuedTokens {
        guard let user = user(msisdn: msisdn) else { throw SimulatorError.unknownUser }
        forgetExpired()
        let accessToken = accessTokenPrefix + Self.randomID()
        grants[accessToken] = AccessGrant(
            msisdn: msisdn, scopes: scopes, consents: consents, consentTime: now,
            expiresAt: now.addingTimeInterval(TimeInterval(lifetime)))
        let issuedAt = now
        var claims = SimulatedIDToken(
            iss: issuer, sub: user.sub, aud: [hooks.audienceOverride ?? clientID],
            exp: issuedAt.addingTimeInterval(3600), iat: issuedAt, nonce: nonce ?? "",
            sid: UUID().uuidString.lowercased(), msn: configuration.merchantSerialNumber, jti: UUID().uuidString.lowercased())
        if let authReqID {
            if hooks.authReqIDClaim == "authReqId" { claims.authReqIdCamel = authReqID } else { claims.authReqIDSnake = authReqID }
        }
        let kid = hooks.signWithUnknownKey ? keys.rogueKID : (hooks.algorithm == "ES256" ? keys.ecKID : keys.rsaKID)
        let idToken = try await keys.collection.sign(claims, kid: JWKIdentifier(string: kid))
        return IssuedTokens(accessToken: accessToken, idToken: idToken, expiresIn: lifetime, scope: scopes.joined(separator: " "))
    }

    static func randomID() -> String {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<20).map { _ in UInt8.random(in: .min ... .max, using: &generator) }).base64URL
    }
}

enum SimulatorError: Error { case unknownUser }

/// A token answer's contents.
struct IssuedTokens: Sendable {
    let accessToken: String
    let idToken: String
    let expiresIn: Int
    let scope: String

    var json: [String: Any] {
        ["access_token": accessToken, "id_token": idToken, "token_type": "Bearer", "expires_in": expiresIn, "scope": scope]
    }
}

/// The ID token the simulator signs, with the claims Vipps documents.
struct SimulatedIDToken: JWTPayload {
    var iss: String
    var sub: String
    var aud: [String]
    var exp: Date
    var iat: Date
    var nonce: String
    var sid: String
    var msn: String
    var jti: String
    var authReqIDSnake: String?
    var authReqIdCamel: String?

    init(iss: String, sub: String, aud: [String], exp: Date, iat: Date, nonce: String, sid: String, msn: String, jti: String) {
        self.iss = iss
        self.sub = sub
        self.aud = aud
        self.exp = exp
        self.iat = iat
        self.nonce = nonce
        self.sid = sid
        self.msn = msn
        self.jti = jti
    }

    enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, iat, nonce, sid, msn, jti
        case authTime = "auth_time"
        case authReqIDSnake = "auth_req_id"
        case authReqIdCamel = "authReqId"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        iss = try container.decode(String.self, forKey: .iss)
        sub = try container.decode(String.self, forKey: .sub)
        aud = try container.decode([String].self, forKey: .aud)
        exp = Date(timeIntervalSince1970: try container.decode(Double.self, forKey: .exp))
        iat = Date(timeIntervalSince1970: try container.decode(Double.self, forKey: .iat))
        nonce = try container.decode(String.self, forKey: .nonce)
        sid = try container.decode(String.self, forKey: .sid)
        msn = try container.decode(String.self, forKey: .msn)
        jti = try container.decode(String.self, forKey: .jti)
        authReqIDSnake = try container.decodeIfPresent(String.self, forKey: .authReqIDSnake)
        authReqIdCamel = try container.decodeIfPresent(String.self, forKey: .authReqIdCamel)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(iss, forKey: .iss)
        try container.encode(sub, forKey: .sub)
        try container.encode(aud, forKey: .aud)
        try container.encode(Int(exp.timeIntervalSince1970), forKey: .exp)
        try container.encode(Int(iat.timeIntervalSince1970), forKey: .iat)
        try container.encode(Int(iat.timeIntervalSince1970), forKey: .authTime)
        try container.encode(nonce, forKey: .nonce)
        try container.encode(sid, forKey: .sid)
        try container.encode(msn, forKey: .msn)
        try container.encode(jti, forKey: .jti)
        try container.encodeIfPresent(authReqIDSnake, forKey: .authReqIDSnake)
        try container.encodeIfPresent(authReqIdCamel, forKey: .authReqIdCamel)
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
