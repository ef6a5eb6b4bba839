import Foundation
import HTTPServer

/// The simulator's HTTP surface. Each area lives in its own extension file: discovery and keys,
/// the backchannel (CIBA) endpoints, the token endpoint, userinfo, the browser flow, the phone pages
/// and the test hooks.
struct SimulatorRoutes: Sendable {
    let state: SimulatorState
    let base: VippsSimulator.BaseURL
    let configuration: SimulatorConfiguration
    var authenticator: ClientAuthenticator { ClientAuthenticator(configuration: configuration) }

    static let accessPath = "/access-management-1.0/access"

    func router() -> Router {
        var router = Router()
        router.get(Self.accessPath + "/.well-known/openid-configuration") { _ in await api { discovery() } }
        router.get(Self.accessPath + "/.well-known/jwks.json") { _ in await api { await jwks() } }
        router.post("/vipps-login-ciba/api/backchannel/authentication") { request in await api { await backchannel(request) } }
        router.post("/vipps-login-ciba/api/v1/user-exists") { request in await api { await userExists(request) } }
        router.post(Self.accessPath + "/oauth2/token") { request in await api { await token(request) } }
        router.get("/vipps-userinfo-api/userinfo") { request in await api { await userinfo(request) } }
        router.get("/vipps-userinfo-api/userinfo/") { request in await api { await userinfo(request) } }
        router.get(Self.accessPath + "/oauth2/auth") { request in await authorize(request) }
        router.post(Self.accessPath + "/oauth2/auth/phone") { request in await authorizePhone(request) }
        router.post(Self.accessPath + "/oauth2/auth/decision") { request in await authorizeDecision(request) }
        router.get("/") { _ in PhonePages.index(users: configuration.users) }
        router.get("/phone/{msisdn}") { request in await phone(request) }
        router.post("/phone/{msisdn}/logins/{id}/confirm") { request in await phoneConfirm(request) }
        router.post("/phone/{msisdn}/logins/{id}/consents") { request in await phoneConsents(request) }
        router.post("/phone/{msisdn}/logins/{id}/cancel") { request in await phoneCancel(request) }
        router.post("/_sim/hooks") { request in await setHooks(request) }
        router.post("/_sim/logins/{id}/approve") { request in await hookApprove(request) }
        router.post("/_sim/logins/{id}/cancel") { request in await hookCancel(request) }
        router.post("/_sim/clock") { request in await hookClock(request) }
        router.get("/_sim/counts") { _ in await hookCounts() }
        return router
    }

    /// Wraps a Vipps API answer with the hooks that apply to every API call: latency, forced failures and
    /// garbage (a cut-off body, as from a proxy that gave up half-way).
    func api(_ body: () async -> HTTPResponse) async -> HTTPResponse {
        let hooks = await state.hooks
        if hooks.latencyMilliseconds > 0 { try? await Task.sleep(for: .milliseconds(hooks.latencyMilliseconds)) }
        if let status = await state.takeForcedFailure() {
            return OAuthProblem.error(HTTPStatus(code: status), "server_error", "Something went wrong, please try again")
        }
        if await state.takeForcedGarbage() {
            return .json(Array(#"{"access_token": "eyJ"#.utf8), contentType: "application/json;charset=UTF-8")
        }
        return await body()
    }

    var issuer: String { base.url + Self.accessPath + "/" }
}
