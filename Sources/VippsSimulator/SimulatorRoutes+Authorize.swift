import Foundation
import HTTPServer

extension SimulatorRoutes {
    /// `GET …/oauth2/auth`: the browser flow. Checks the client and redirect URI (errors that cannot be
    /// redirected get Vipps' own error page), then asks for the phone number.
    func authorize(_ request: HTTPRequest) async -> HTTPResponse {
        let query = request.queryItems
        guard let clientID = query["client_id"], let client = configuration.client(clientID) else {
            return PhonePages.page("Uff da, noe gikk galt", "<p>Error: invalid_client</p><p>The client is not known.</p>", status: .badRequest)
        }
        guard let redirectURI = query["redirect_uri"], client.redirectURIs.contains(redirectURI) else {
            return PhonePages.page(
                "Uff da, noe gikk galt",
                "<p>Error: invalid_request</p><p>The \"redirect_uri\" provided with your request does not match any of your preregistered URIs.</p>",
                status: .badRequest)
        }
        let state = query["state"] ?? ""
        guard query["response_type"] == "code" else {
            return Self.redirect(
                redirectURI, ["error": "unsupported_response_type", "error_description": "response_type must be code", "state": state])
        }
        guard state.count >= 8 else {
            return Self.redirect(
                redirectURI,
                ["error": "invalid_request", "error_description": "The state parameter must be at least 8 characters long", "state": state])
        }
        let scopes = (query["scope"] ?? "openid").split(separator: " ").map(String.init)
        let method = query["code_challenge_method"] ?? (query["code_challenge"] == nil ? nil : "plain")
        if let method, method != "S256" && method != "plain" {
            return Self.redirect(
                redirectURI, ["error": "invalid_request", "error_description": "code_challenge_method must be S256 or plain", "state": state])
        }
        let session = BrowserSession(
            id: SimulatorState.randomID(), clientID: client.id, redirectURI: redirectURI, scopes: scopes, state: state,
            nonce: query["nonce"], codeChallenge: query["code_challenge"], codeChallengeMethod: method)
        await self.state.openSession(session)
        return Self.phoneForm(session: session, merchant: configuration.merchantName)
    }

    /// The user entered their number: show the confirm screen.
    func authorizePhone(_ request: HTTPRequest) async -> HTTPResponse {
        let form = request.formFields() ?? URLEncodedForm()
        guard let id = form["session"], let session = await state.session(id) else { return Self.gone }
        let digits = (form["phone"] ?? "").filter(\.isNumber)
        let msisdn = digits.count == 8 ? "47" + digits : digits
        guard let user = await state.user(msisdn: msisdn), user.behaviour == .normal else {
            return Self.phoneForm(session: session, merchant: configuration.merchantName, error: "No Vipps user can log in with that number.")
        }
        await state.setSessionUser(id, msisdn: msisdn)
        return PhonePages.page(
            "Log in to \(configuration.merchantName)?",
            """
            <p>\(PhonePages.escape(configuration.merchantName)) asks for: \(PhonePages.escape(PhonePages.requestedData(session.scopes)))</p>
            <form method="post" action="\(Self.accessPath)/oauth2/auth/decision"><input type="hidden" name="session" value="\(PhonePages.escape(id))">
            <button name="decision" value="confirm">Confirm</button> <button class="secondary" name="decision" value="cancel">Cancel</button></form>
            """)
    }

    /// Confirm redirects with `code`, `state` and `scope`; cancel with `error=access_denied`.
    func authorizeDecision(_ request: HTTPRequest) async -> HTTPResponse {
        let form = request.formFields() ?? URLEncodedForm()
        guard let id = form["session"], let session = await state.closeSession(id), let msisdn = session.msisdn else { return Self.gone }
        guard form["decision"] == "confirm" else {
            return Self.redirect(
                session.redirectURI, ["error": "access_denied", "error_description": "user cancelled the login", "state": session.state])
        }
        let code = await state.issueCode(
            IssuedCode(
                kind: .authorizationCode, clientID: session.clientID, msisdn: msisdn, scopes: session.scopes,
                consents: ConsentAnswers(), authReqID: nil, nonce: session.nonce, redirectURI: session.redirectURI,
                codeChallenge: session.codeChallenge, codeChallengeMethod: session.codeChallengeMethod,
                expiresAt: await state.now.addingTimeInterval(configuration.codeLifetime)))
        return Self.redirect(session.redirectURI, ["code": code, "state": session.state, "scope": session.scopes.joined(separator: " ")])
    }

    static func phoneForm(session: BrowserSession, merchant: String, error: String? = nil) -> HTTPResponse {
        PhonePages.page(
            "Log in with Vipps",
            """
            \(error.map { "<p class=\"error\">\(PhonePages.escape($0))</p>" } ?? "")
            <p>\(PhonePages.escape(merchant)) wants you to log in.</p>
            <form method="post" action="\(accessPath)/oauth2/auth/phone"><input type="hidden" name="session" value="\(PhonePages.escape(session.id))">
            <label for="phone">Phone number</label><input id="phone" name="phone" inputmode="tel" autocomplete="tel">
            <button>Next</button></form>
            """, status: error == nil ? .ok : .unprocessableContent)
    }

    static func redirect(_ uri: String, _ parameters: [String: String]) -> HTTPResponse {
        var components = URLComponents(string: uri)!
        components.queryItems =
            (components.queryItems ?? []) + parameters.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        return HTTPResponse(status: .found, headers: ["Location": components.url!.absoluteString])
    }
}
