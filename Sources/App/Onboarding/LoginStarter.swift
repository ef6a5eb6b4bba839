import Foundation
import Logging
import Storage
import VippsLogin

/// Starts a login from phone number for a till: checks the input (a typed number in the store's market,
/// or a scanned personal QR), asks Vipps whether the number has Vipps at all, stores the request before
/// the start is sent (so nothing is lost if Vipps fails), then asks Vipps to push it to the customer's
/// phone with the redirect to our callback.
struct LoginStarter: Sendable {
    struct Input: Sendable {
        var phone: String
        /// A scanned personal QR code, instead of the phone number.
        var qr: String? = nil
        /// nil for none, `auto` for a generated one, or the code to show.
        var bindingMessage: String?
        var store: String
        var terminal: String?
        var consents: Bool
        /// Where the login ends; nil takes the store's default.
        var ending: LoginRequest.Ending? = nil
    }

    enum Failure: Error, Equatable {
        case invalidPhone
        /// Vipps' user-exists says the number has no Vipps (or MobilePay) account: nothing was started.
        case noVippsUser
        case qr(QRFailure)
        case invalidBindingMessage
        case invalidStore
        case invalidTerminal
        case vipps(VippsLoginError)
        case vippsNotConfigured
        /// Too many logins from this till or towards this phone; try again after the seconds given.
        case rateLimited(retryAfter: Int)
    }

    /// What can be wrong with a scanned code; nothing is sent to Vipps in any of these.
    enum QRFailure: Error, Equatable {
        /// Not a personal code's form.
        case malformed
        /// Another kind of code (a payment link, a web page).
        case foreign
        /// A tokenized code, and the QR API's exchange is not configured.
        case exchangeNotConfigured
        /// The exchange does not know the code (expired, or not a personal code).
        case unknown
        /// The exchange did not answer, or refused our credentials (`misconfigured`).
        case exchangeUnavailable(misconfigured: Bool)
    }

    static let scopes = ["openid", "name", "phoneNumber", "email", "address", "birthDate"]

    let client: VippsLoginClient?
    /// The QR API's exchange for tokenized personal codes; nil when not configured.
    var qrExchange: PersonalQRExchange? = nil
    let limits: RateLimits
    let requests: LoginRequestStore
    let events: FunnelEvents
    let callbackURL: URL
    let members: MemberStore
    let stores: StoreNames
    let metrics: AppMetrics
    let logger: Logger
    /// How consents are asked (`none` asks none), and whether the terms are accepted in every login.
    var consentScope = ConsentScope.delegatedConsents
    var agreement = false

    /// `till` names who is asking (an API key's prefix, or the store for the till page), for the rate limit.
    func start(_ input: Input, till: String, at time: Date = Date()) async throws -> LoginRequest {
        // Everything that can be checked here is, before anything leaves the building.
        let scanned = try Self.scannedCode(input)
        let typed: PhoneNumber?
        if scanned == nil {
            do { typed = try PhoneNumber(input.phone, defaultCountry: stores.market(of: input.store)) } catch { throw Failure.invalidPhone }
        } else {
            typed = nil
        }
        var bindingMessage: BindingMessage?
        if let text = input.bindingMessage?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            if text.lowercased() == "auto" {
                bindingMessage = .random()
            } else {
                do { bindingMessage = try BindingMessage(text.uppercased()) } catch { throw Failure.invalidBindingMessage }
            }
        }
        guard Self.isIdentifier(input.store) else { throw Failure.invalidStore }
        if let terminal = input.terminal, !terminal.isEmpty, !Self.isIdentifier(terminal) { throw Failure.invalidTerminal }
        if let wait = try await limits.perTill.take("till:" + till, now: time) {
            throw Failure.rateLimited(retryAfter: wait)
        }
        let phone: PhoneNumber
        if let typed {
            phone = typed
        } else if let scanned {
            phone = try await exchange(scanned)
        } else {
            throw Failure.invalidPhone
        }
        if let wait = try await limits.perPhone.take(RateLimits.phoneKey(phone.msisdn), now: time) {
            throw Failure.rateLimited(retryAfter: wait)
        }
        guard let client else { throw Failure.vippsNotConfigured }
        // Asked after the rate limits, so that the till cannot be used to look up who has Vipps. No
        // request row is kept for a refused number: no login was started, and the number is personal
        // data with nothing to follow up (the metric counts the refusals).
        if try await !hasVipps(phone, client: client) {
            metrics.loginFailed("no_vipps_user")
            throw Failure.noVippsUser
        }
        // A member who answered before is not asked again (Vipps remembers accepted consents too);
        // they change them on their own page.
        let onRecord = input.consents ? try await members.hasConsentsOnRecord(phone: phone.msisdn) : false
        let askConsents = input.consents && !onRecord && consentScope != .none

        var request = LoginRequest(
            id: Tokens.random(bytes: 12), phoneHint: phone.msisdn, bindingMessage: bindingMessage?.text, store: input.store,
            terminal: input.terminal.flatMap { $0.isEmpty ? nil : $0 }, askConsents: askConsents,
            createdAt: time, expiresAt: time.addingTimeInterval(TimeInterval(stores.requestedExpiry(of: input.store) ?? 600)))
        request.ending = input.ending ?? stores.ending(of: input.store)
        try await requests.create(request)
        let scopes = Self.scopes + [askConsents ? consentScope.scope : nil, agreement ? "agreement" : nil].compactMap { $0 }
        do {
            let login = try await client.startLogin(
                BackchannelLoginRequest(
                    phone: phone, scopes: scopes, bindingMessage: bindingMessage,
                    flow: request.ending == .app ? .poll : .loginToWebpage(redirectURI: callbackURL),
                    requestedExpiry: stores.requestedExpiry(of: input.store)))
            request.authReqID = login.authReqID
            request.expiresAt = time.addingTimeInterval(TimeInterval(login.expiresIn))
            // The app ending is polled from the database (AppEndingPoller), so a restart resumes it.
            request.pollInterval = request.ending == .app ? Double(max(1, login.interval)) : nil
            try await requests.started(
                id: request.id, authReqID: login.authReqID, expiresAt: request.expiresAt,
                pollInterval: request.pollInterval, at: time)
            try await events.record("login_started", store: request.store, loginRequestID: request.id, at: time)
            metrics.login("started")
            return request
        } catch let error as VippsLoginError {
            // The description names what is wrong and never a secret, token or phone number.
            if error.isMisconfiguration { logger.error("starting a login failed, Vipps is misconfigured: \(error)") }
            metrics.loginFailed(Self.reason(error))
            try await requests.fail(id: request.id, reason: Self.reason(error))
            try await events.record("login_failed", store: request.store, loginRequestID: request.id, at: time)
            throw Failure.vipps(error)
        }
    }

    /// The scanned code, from the API's `qr` or a till's phone field that a scanner typed a URL into.
    static func scannedCode(_ input: Input) throws -> PersonalQR? {
        guard let text = input.qr ?? (input.phone.contains("://") ? input.phone : nil) else { return nil }
        do {
            return try PersonalQR(scanned: text)
        } catch .malformed {
            throw Failure.qr(.malformed)
        } catch {
            throw Failure.qr(.foreign)
        }
    }

    /// The number a scanned code holds: read from a clear-text code, exchanged for a tokenized one.
    private func exchange(_ code: PersonalQR) async throws -> PhoneNumber {
        switch code {
        case .phone(let phone): return phone
        case .token(let token):
            guard let qrExchange else { throw Failure.qr(.exchangeNotConfigured) }
            do {
                return try await qrExchange.exchange(token)
            } catch .unknownCode {
                throw Failure.qr(.unknown)
            } catch .refusedCredentials {
                logger.error("the QR API refused our credentials: check VIPPS_QR_API_URL, VIPPS_SUBSCRIPTION_KEY and the client id and secret")
                throw Failure.qr(.exchangeUnavailable(misconfigured: true))
            } catch {
                throw Failure.qr(.exchangeUnavailable(misconfigured: false))
            }
        }
    }

    /// Vipps' user-exists. Only a clear "no" stops the start: when the check fails (timeout, an error, an
    /// answer we cannot read) the login is started anyway and Vipps' own `invalid_user` answers in time.
    private func hasVipps(_ phone: PhoneNumber, client: VippsLoginClient) async throws -> Bool {
        do {
            return try await client.userExists(phone)
        } catch {
            if error.isMisconfiguration { logger.warning("user-exists failed, starting the login anyway: \(error)") }
            return true
        }
    }

    /// Stores, terminals: lower-case letters, digits and dashes, up to 40.
    static func isIdentifier(_ text: String) -> Bool {
        (1...40).contains(text.count) && text.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// A short, non-personal reason kept with a failed request.
    static func reason(_ error: VippsLoginError) -> String {
        switch error {
        case .invalidUser: "invalid_user"
        case .oldApp: "old_app"
        case .rateLimited: "rate_limited"
        case .invalidClient: "invalid_client"
        case .issuerMismatch: "issuer_mismatch"
        case .timeout, .transport: "unreachable"
        case .serverError: "server_error"
        default: "error"
        }
    }
}
