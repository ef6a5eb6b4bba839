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
        router.get(Self.accessPath + "/.well-known/openid-configuration") { request in await api(request) { discovery() } }
        router.get(Self.accessPath + "/.well-known/jwks.json") { request in await api(request) { await jwks() } }
        router.post("/vipps-login-ciba/api/backchannel/authentication") { request in await api(request) { await backchannel(request) } }
        router.post("/vipps-login-ciba/api/v1/user-exists") { request in await api(request) { await userExists(request) } }
        router.post(Self.accessPath + "/oauth2/token") { request in await api(request) { await token(request) } }
        router.get("/vipps-userinfo-api/userinfo") { request in await api(request) { await userinfo(request) } }
        router.get("/vipps-userinfo-api/userinfo/") { request in await api(request) { await userinfo(request) } }
        router.post("/accesstoken/get") { request in await api(request) { await qrAccessToken(request) } }
        router.post(Self.qrPath + "/v1/exchange") { request in await api(request) { await qrExchange(request) } }
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

    /// The QR API's base on the simulator (`VIPPS_QR_API_URL` = the simulator's address + this).
    static let qrPath = "/qr"

    /// Wraps a Vipps API answer with the hooks that apply to every API call: latency, forced failures and
    /// garbage (a cut-off body, as from a proxy that gave up half-way). Records the call's
    /// `Vipps-System-*` headers, so tests can see that every call carries them.
    func api(_ request: HTTPRequest, _ body: () async -> HTTPResponse) async -> HTTPResponse {
        await state.record(
            RecordedCall(
                path: request.path,
                systemHeaders: Dictionary(
                    RecordedCall.systemHeaderNames.compactMap { name in request.headers[name].map { (name, $0) } }, uniquingKeysWith: { a, _ in a })))
        if configuration.userExistsMissing, request.path.hasSuffix("/user-exists") {
            return OAuthProblem.error(.notFound, "not_found", "No such endpoint")
        }
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
