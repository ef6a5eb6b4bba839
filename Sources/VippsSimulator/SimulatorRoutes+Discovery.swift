import Foundation
import HTTPServer

extension SimulatorRoutes {
    /// The discovery document, with the CIBA fields the real one has and the documented sample leaves out.
    func discovery() -> HTTPResponse {
        let root = base.url
        var response = OAuthProblem.json([
            "issuer": issuer,
            "authorization_endpoint": issuer + "oauth2/auth",
            "token_endpoint": issuer + "oauth2/token",
            "jwks_uri": issuer + ".well-known/jwks.json",
            "userinfo_endpoint": root + "/vipps-userinfo-api/userinfo",
            "backchannel_authentication_endpoint": root + "/vipps-login-ciba/api/backchannel/authentication",
            "backchannel_token_delivery_modes_supported": ["poll"],
            "subject_types_supported": ["public", "pairwise"],
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code", "urn:openid:params:grant-type:ciba", "urn:vipps:params:grant-type:ciba-redirect"],
            "code_challenge_methods_supported": ["plain", "S256"],
            "scopes_supported": [
                "openid", "address", "name", "email", "phoneNumber", "nin", "birthDate", "delegatedConsents", "customFlow", "agreement",
            ],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "claims_supported": ["sub"],
            "revocation_endpoint": issuer + "oauth2/revoke",
            "end_session_endpoint": issuer + "oauth2/sessions/logout",
            "backchannel_logout_supported": false,
            "frontchannel_logout_supported": false,
        ])
        response.headers.set("Cache-Control", "max-age=3600")
        return response
    }

    func jwks() async -> HTTPResponse {
        OAuthProblem.json(state.keys.jwks)
    }
}
