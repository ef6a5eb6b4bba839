import Crypto
import Foundation
import HTTPServer

extension SimulatorRoutes {
    /// `POST …/oauth2/token` for the three grants Velkommen uses.
    func token(_ request: HTTPRequest) async -> HTTPResponse {
        let form = request.formFields() ?? URLEncodedForm()
        await state.countTokenRequest(grantType: form["grant_type"] ?? "")
        guard let client = authenticator.authenticate(request, form: form) else { return OAuthProblem.invalidClient }
        switch form["grant_type"] {
        case "urn:openid:params:grant-type:ciba":
            return await pollToken(form: form, client: client)
        case "urn:vipps:params:grant-type:ciba-redirect":
            guard let code = form["code"], let issued = await state.redeem(code, clientID: client.id, kind: .cibaRedirect) else {
                return Self.invalidGrant
            }
            return await tokens(
                for: issued.msisdn, client: client, scopes: issued.scopes, consents: issued.consents,
                authReqID: issued.authReqID, nonce: nil, prefix: "", lifetime: configuration.accessTokenLifetime)
        case "authorization_code":
            return await authorizationCodeToken(form: form, client: client)
        case nil:
            return OAuthProblem.error(.badRequest, "invalid_request", "The request is missing a required parameter: grant_type.")
        case let other?:
            return OAuthProblem.error(.badRequest, "unsupported_grant_type", "The grant type \(other) is not supported.")
        }
    }

    private func pollToken(form: URLEncodedForm, client: SimulatorConfiguration.Client) async -> HTTPResponse {
        guard let authReqID = form["auth_req_id"] else {
            return OAuthProblem.error(.badRequest, "invalid_request", "The request is missing a required parameter: auth_req_id.")
        }
        switch await state.poll(authReqID, clientID: client.id) {
        case .pending:
            return OAuthProblem.error(.badRequest, "authorization_pending", "The authorization request is still pending")
        case .slowDown:
            return OAuthProblem.error(.badRequest, "slow_down", "Polling too often: wait at least the interval between requests.")
        case .expired:
            return OAuthProblem.error(.badRequest, "expired_token", "The auth_req_id has expired.")
        case .denied:
            return OAuthProblem.error(.badRequest, "access_denied", "The end-user denied the authorization request.")
        case .invalidGrant:
            return Self.invalidGrant
        case .tokens(let login, let consents):
            return await tokens(
                for: login.msisdn, client: client, scopes: login.scopes, consents: consents,
                authReqID: login.authReqID, nonce: nil, prefix: "ciba.", lifetime: 300)
        }
    }

    private func authorizationCodeToken(form: URLEncodedForm, client: SimulatorConfiguration.Client) async -> HTTPResponse {
        guard let code = form["code"], let redirectURI = form["redirect_uri"] else {
            return OAuthProblem.error(.badRequest, "invalid_request", "The request is missing a required parameter: code or redirect_uri.")
        }
        guard let issued = await state.redeem(code, clientID: client.id, kind: .authorizationCode), issued.redirectURI == redirectURI else {
            return Self.invalidGrant
        }
        if let challenge = issued.codeChallenge {
            guard let verifier = form["code_verifier"], Self.challenge(verifier, method: issued.codeChallengeMethod ?? "plain") == challenge else {
                return OAuthProblem.error(.badRequest, "invalid_grant", "The PKCE code_verifier does not match the code_challenge.")
            }
        }
        return await tokens(
            for: issued.msisdn, client: client, scopes: issued.scopes, consents: issued.consents,
            authReqID: nil, nonce: issued.nonce, prefix: "", lifetime: configuration.accessTokenLifetime)
    }

    private func tokens(
        for msisdn: String, client: SimulatorConfiguration.Client, scopes: [String], consents: ConsentAnswers,
        authReqID: String?, nonce: String?, prefix: String, lifetime: Int
    ) async -> HTTPResponse {
        do {
            let issued = try await state.issueTokens(
                msisdn: msisdn, clientID: client.id, scopes: scopes, consents: consents,
                authReqID: authReqID, nonce: nonce, accessTokenPrefix: prefix, lifetime: lifetime)
            return OAuthProblem.json(issued.json)
        } catch {
            return OAuthProblem.error(.internalServerError, "server_error", "Something went wrong, please try again")
        }
    }

    static func challenge(_ verifier: String, method: String) -> String {
        method == "S256" ? Data(SHA256.hash(data: Data(verifier.utf8))).base64URL : verifier
    }

    static let invalidGrant = OAuthProblem.error(
        .badRequest, "invalid_grant",
        "The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."
    )
}
