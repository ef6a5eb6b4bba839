import Foundation
import Logging
import Storage
import VippsLogin

/// Starts a login from phone number for a till: checks the input, stores the request before Vipps is
/// called (so nothing is lost if Vipps fails), then asks Vipps to push it to the customer's phone with
/// the redirect to our callback.
struct LoginStarter: Sendable {
    struct Input: Sendable {
        var phone: String
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
        case invalidBindingMessage
        case invalidStore
        case invalidTerminal
        case vipps(VippsLoginError)
        case vippsNotConfigured
        /// Too many logins from this till or towards this phone; try again after the seconds given.
        case rateLimited(retryAfter: Int)
    }

    static let scopes = ["openid", "name", "phoneNumber", "email", "address", "birthDate"]

    let client: VippsLoginClient?
    let limits: RateLimits
    let requests: LoginRequestStore
    let events: FunnelEvents
    let callbackURL: URL
    let members: MemberStore
    let stores: StoreNames
    let metrics: AppMetrics
    let logger: Logger

    /// `till` names who is asking (an API key's prefix, or the store for the till page), for the rate limit.
    func start(_ input: Input, till: String, at time: Date = Date()) async throws -> LoginRequest {
        let phone: PhoneNumber
        do { phone = try PhoneNumber(input.phone) } catch { throw Failure.invalidPhone }
        if let wait = try await limits.perTill.take("till:" + till, now: time) {
            throw Failure.rateLimited(retryAfter: wait)
        }
        if let wait = try await limits.perPhone.take(RateLimits.phoneKey(phone.msisdn), now: time) {
            throw Failure.rateLimited(retryAfter: wait)
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
        guard let client else { throw Failure.vippsNotConfigured }
        // A member who answered before is not asked again (Vipps remembers accepted consents too);
        // they change them on their own page.
        let onRecord = input.consents ? try await members.hasConsentsOnRecord(phone: phone.msisdn) : false
        let askConsents = input.consents && !onRecord

        var request = LoginRequest(
            id: Tokens.random(bytes: 12), phoneHint: phone.msisdn, bindingMessage: bindingMessage?.text, store: input.store,
            terminal: input.terminal.flatMap { $0.isEmpty ? nil : $0 }, askConsents: askConsents,
            createdAt: time, expiresAt: time.addingTimeInterval(600))
        request.ending = input.ending ?? stores.ending(of: input.store)
        try await requests.create(request)
        let scopes = Self.scopes + (askConsents ? ["delegatedConsents"] : [])
        do {
            let login = try await client.startLogin(
                BackchannelLoginRequest(
                    phone: phone, scopes: scopes, bindingMessage: bindingMessage,
                    flow: request.ending == .app ? .poll : .loginToWebpage(redirectURI: callbackURL)))
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
