import Foundation
import HTTPServer

extension SimulatorRoutes {
    /// `GET /vipps-userinfo-api/userinfo` with `Authorization: Bearer …`: the claims of the token's scopes.
    func userinfo(_ request: HTTPRequest) async -> HTTPResponse {
        guard let header = request.headers["Authorization"], header.hasPrefix("Bearer "),
            let grant = await state.grant(String(header.dropFirst(7))), let user = await state.user(msisdn: grant.msisdn)
        else {
            return OAuthProblem.error(.unauthorized, "invalid_token", "The access token is missing, unknown or expired.")
        }
        var claims: [String: Any] = ["sub": await state.hooks.userinfoSubOverride ?? user.sub, "sid": UUID().uuidString.lowercased()]
        let scopes = Set(grant.scopes)
        if scopes.contains("name") {
            claims["name"] = user.name
            claims["given_name"] = user.givenName
            claims["family_name"] = user.familyName
        }
        if scopes.contains("email") {
            claims["email"] = user.email
            claims["email_verified"] = user.emailVerified
        }
        if scopes.contains("phoneNumber") { claims["phone_number"] = user.msisdn }
        if scopes.contains("birthDate") { claims["birthdate"] = user.birthdate }
        if scopes.contains("nin") { claims["nin"] = user.nin }
        if scopes.contains("address") {
            claims["address"] = user.address?.claim ?? TestUser.Address.emptyClaim
            claims["other_addresses"] = user.otherAddresses.map(\.claim)
        }
        if scopes.contains("delegatedConsents"), let consents = grant.consents.delegated {
            claims["delegatedConsents"] = delegatedConsents(consents, at: grant.consentTime)
        }
        if scopes.contains("customFlow"), let answers = grant.consents.flow {
            claims["flowResult"] = flowResult(answers)
        }
        if scopes.contains("agreement"), let accepted = grant.consents.agreementAcceptedAt {
            claims["agreement"] = agreement(acceptedAt: accepted)
        }
        return OAuthProblem.json(claims)
    }

    /// The `delegatedConsents` object as Vipps documents it, leading-space key and all, plus the
    /// corrected `termsDescription`.
    func delegatedConsents(_ given: [String: Bool], at time: Date) -> [String: Any] {
        let terms =
            "By confirming, you accept \(configuration.merchantName)'s terms of membership. They are responsible for processing the consents. You can withdraw them at any time on their website."
        return [
            "language": "EN",
            "heading": "Give consent",
            "text": "\(configuration.merchantName) wants to send you relevant offers through their digital channels.",
            " termsDescription": terms,
            "termsDescription": terms,
            "confirmConsentButtonText": "Confirm",
            "links": [
                "termsLinkText": "Read the terms of use.", "termsLinkUrl": configuration.termsLinkURL,
                "privacyStatementLinkText": "Read the privacy policy.", "privacyStatementLinkUrl": configuration.privacyStatementLinkURL,
            ],
            "timeOfConsent": ISO8601DateFormatter().string(from: time),
            "consents": configuration.consents.map { consent in
                ["id": consent.id, "accepted": given[consent.id] ?? false, "required": consent.required, "textDisplayedToUser": consent.textEN]
                    as [String: Any]
            },
        ]
    }

    /// `flowResult` in the one shape Vipps shows (`screens` of `elements` with `type`, `id`, `title`,
    /// `checked`), with each screen's terms links.
    func flowResult(_ answers: [String: Bool]) -> [String: Any] {
        let flow = configuration.customFlow
        return [
            "language": flow.language,
            "screens": flow.screens.map { screen in
                [
                    "title": screen.title, "description": screen.description,
                    "terms": ["links": screen.links.map { ["title": $0.title, "url": $0.url] }],
                    "elements": screen.checkboxes.map { box in
                        ["type": "checkbox", "id": box.id, "title": box.title, "checked": answers[box.id] ?? false] as [String: Any]
                    },
                ] as [String: Any]
            },
        ]
    }

    /// `agreement` in the outline a third-party client reads (`language, description, buttonText, links,
    /// timestamp, accepted`); the links as `delegatedConsents` has them.
    func agreement(acceptedAt time: Date) -> [String: Any] {
        let terms = configuration.agreement
        return [
            "language": terms.language, "description": terms.description, "buttonText": terms.buttonText,
            "links": [
                "termsLinkText": terms.termsLinkText, "termsLinkUrl": terms.termsLinkURL,
                "privacyStatementLinkText": terms.privacyStatementLinkText, "privacyStatementLinkUrl": terms.privacyStatementLinkURL,
            ],
            "timestamp": ISO8601DateFormatter().string(from: time), "accepted": true,
        ]
    }
}
