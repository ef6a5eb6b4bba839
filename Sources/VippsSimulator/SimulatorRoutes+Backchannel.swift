import Foundation
import HTTPServer

extension SimulatorRoutes {
    /// `POST /vipps-login-ciba/api/backchannel/authentication`: starts a login from phone number.
    func backchannel(_ request: HTTPRequest) async -> HTTPResponse {
        let form = request.formFields() ?? URLEncodedForm()
        guard let client = authenticator.authenticate(request, form: form) else { return OAuthProblem.invalidClient }
        guard let hint = form["login_hint"], let msisdn = Self.msisdn(fromLoginHint: hint) else {
            return OAuthProblem.error(
                .badRequest, "invalid_request",
                "login_hint.value : Invalid login_hint. login_hint must be in format: 'urn:msisdn:46|45|47|358|299{phonenumber}'.")
        }
        let scopes = (form["scope"] ?? "").split(separator: " ").map(String.init)
        guard !scopes.isEmpty else { return OAuthProblem.error(.badRequest, "invalid_request", "The scope parameter is required.") }
        if scopes.contains("nnin") {
            return OAuthProblem.error(.badRequest, "invalid_scope", "The legacy nnin scope is not supported, use nin instead.")
        }
        let bindingMessage = form["binding_message"]
        if let bindingMessage, !Self.isValidBindingMessage(bindingMessage) {
            return OAuthProblem.error(
                .badRequest, "invalid_binding_message",
                "binding_message is limited to capital characters 'A-Z', numbers '0-9' and the character '-', 5 to 8 characters long.")
        }
        var redirectURI: String?
        if let flow = form["requested_flow"] {
            guard flow == "login_to_webpage" else {
                return OAuthProblem.error(.badRequest, "invalid_request", "requested_flow must be login_to_webpage.")
            }
            guard let uri = form["redirect_uri"], !uri.isEmpty else {
                return OAuthProblem.error(.badRequest, "invalid_request", "redirect_uri is required for requested_flow=login_to_webpage.")
            }
            guard client.redirectURIs.contains(uri) else {
                return OAuthProblem.error(
                    .badRequest, "invalid_request", "The \"redirect_uri\" provided with your request does not match any of your preregistered URIs.")
            }
            guard scopes.contains("openid") else {
                return OAuthProblem.error(.badRequest, "invalid_request", "The openid scope is required for requested_flow=login_to_webpage.")
            }
            redirectURI = uri
        }
        var requestedExpiry: Int?
        if let text = form["requested_expiry"] {
            guard let seconds = Int(text), (60...900).contains(seconds) else {
                return OAuthProblem.error(.badRequest, "invalid_request", "requested_expiry must be a whole number of seconds from 60 to 900.")
            }
            requestedExpiry = seconds
        }
        guard let user = await state.user(msisdn: msisdn), user.behaviour != .underAge else {
            return OAuthProblem.error(
                .badRequest, "invalid_user",
                "To log in with Vipps you need to have an active Vipps app on your phone and be at least 15 years old.")
        }
        if user.behaviour == .oldApp {
            return OAuthProblem.error(.badRequest, "old_app", "The user's Vipps or MobilePay app is outdated and does not support this login flow.")
        }
        let tooMany = await state.pendingLogins(msisdn: msisdn).count >= configuration.maxPendingLoginsPerUser
        if await state.takeForcedRateLimit() || tooMany {
            return OAuthProblem.error(
                .tooManyRequests, "too_many_requests",
                "Too many login requests started towards the same user at the same time.", headers: [("Retry-After", "10")])
        }
        let login = await state.startLogin(
            clientID: client.id, msisdn: msisdn, scopes: scopes, bindingMessage: bindingMessage,
            redirectURI: redirectURI, requestedExpiry: requestedExpiry)
        return OAuthProblem.json([
            "auth_req_id": login.authReqID, "expires_in": Int(login.expiresAt.timeIntervalSince(login.createdAt).rounded()),
            "interval": login.interval,
        ])
    }

    /// `POST /vipps-login-ciba/api/v1/user-exists`: `{"exists": true|false}`.
    func userExists(_ request: HTTPRequest) async -> HTTPResponse {
        let form = request.formFields() ?? URLEncodedForm()
        guard authenticator.authenticate(request, form: form) != nil else { return OAuthProblem.invalidClient }
        guard let hint = form["login_hint"], let msisdn = Self.msisdn(fromLoginHint: hint) else {
            return OAuthProblem.error(.badRequest, "invalid_request", "login_hint must be in format urn:msisdn:{phonenumber}.")
        }
        let user = await state.user(msisdn: msisdn)
        let exists = user != nil && user?.behaviour != .underAge && !configuration.numbersWithoutVipps.contains(msisdn)
        return OAuthProblem.json(["exists": exists])
    }

    /// `urn:msisdn:` followed by a Nordic country code and the number, digits only.
    static func msisdn(fromLoginHint hint: String) -> String? {
        guard hint.hasPrefix("urn:msisdn:") else { return nil }
        let digits = String(hint.dropFirst("urn:msisdn:".count))
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        // The calling code and how many digits follow it: 47, 45 and 46 with 8 (Sweden's 7 to 9), 299
        // with 6, 358 with 5 to 12.
        let rules: [(String, ClosedRange<Int>)] = [("47", 8...8), ("45", 8...8), ("46", 7...9), ("358", 5...12), ("299", 6...6)]
        guard rules.contains(where: { digits.hasPrefix($0.0) && $0.1.contains(digits.count - $0.0.count) }) else { return nil }
        return digits
    }

    static func isValidBindingMessage(_ text: String) -> Bool {
        (5...8).contains(text.count) && text.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
