import Foundation
import HTTPServer
import Synchronization

/// A stand-in for Vipps Login on its own port: the same paths, parameters, errors and lifetimes as the
/// reference (docs/vipps-login.md), a phone page per test user that behaves like the
/// Vipps app, and hooks for tests. `velkommen serve` runs one when no Vipps credentials are set.
public final class VippsSimulator: Sendable {
    let state: SimulatorState
    let server: HTTPServer
    public let configuration: SimulatorConfiguration
    /// `http://127.0.0.1:PORT`, known after `start()`.
    private let base: BaseURL

    /// Set once the port is bound; read by every handler that builds an absolute URL.
    final class BaseURL: Sendable {
        private let value = Mutex("")
        var url: String {
            get { value.withLock { $0 } }
            set { value.withLock { $0 = newValue } }
        }
    }

    /// Creates the simulator and its keys; `start()` binds it.
    public init(configuration: SimulatorConfiguration = SimulatorConfiguration(), host: String = "127.0.0.1", port: Int = 8081) async throws {
        self.configuration = configuration
        let keys = try await SimulatorKeys.shared()
        state = SimulatorState(configuration: configuration, keys: keys)
        base = BaseURL()
        var serverConfiguration = HTTPServer.Configuration()
        serverConfiguration.host = host
        serverConfiguration.port = port
        serverConfiguration.eventLoopCount = 1
        // The phone's forms end in a redirect to the merchant, another origin, which `form-action 'self'`
        // would block; and the simulator's pages carry their small style inline.
        serverConfiguration.defaultHeaders.set(
            "Content-Security-Policy",
            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self' http: https:; frame-ancestors 'none'"
        )
        server = HTTPServer(
            configuration: serverConfiguration, handler: SimulatorRoutes(state: state, base: base, configuration: configuration).router())
    }

    /// Binds the port and returns it.
    @discardableResult
    public func start() async throws -> Int {
        let port = try server.start()
        base.url = "http://127.0.0.1:\(port)"
        await state.setIssuer(issuer)
        return port
    }

    public func shutdown() async {
        server.shutdown()
        await server.waitUntilStopped()
    }

    public var baseURL: String { base.url }
    /// `…/access-management-1.0/access/`, as Vipps' issuer.
    public var issuer: String { base.url + "/access-management-1.0/access/" }

    // MARK: Test hooks (also over HTTP under /_sim/)

    public func setHooks(_ hooks: SimulatorHooks) async { await state.setHooks(hooks) }
    /// The calls to the Vipps API so far (the last 200), oldest first.
    public func recordedCalls() async -> [RecordedCall] { await state.recorded }
    /// The QR API's base URL on this simulator (`VIPPS_QR_API_URL`).
    public var qrAPIURL: String { base.url + SimulatorRoutes.qrPath }
    public func advanceClock(by seconds: TimeInterval) async { await state.advanceClock(by: seconds) }
    /// Token requests so far, by grant type (`authorization_code`, the CIBA grants).
    public func tokenRequests(grantType: String) async -> Int { await state.tokenRequests[grantType] ?? 0 }

    /// Confirms a pending login as the user would in the app; returns the browser redirect for the
    /// redirect variant. `consents` and `flow` are the ids ticked on the screens shown (default: all),
    /// and the terms are accepted when asked for.
    @discardableResult
    public func approve(authReqID: String, consents: Set<String>? = nil, flow: Set<String>? = nil) async -> URL? {
        guard let login = await state.login(authReqID) else { return nil }
        let routes = SimulatorRoutes(state: state, base: base, configuration: configuration)
        let answers = await routes.approval(login, consents: consents, flow: flow, agreement: true)
        return await state.confirm(authReqID, answers: answers)
    }

    public func cancel(authReqID: String) async { await state.deny(authReqID) }

    /// The pending logins of a phone number, oldest first.
    public func pendingLogins(msisdn: String) async -> [String] { await state.pendingLogins(msisdn: msisdn).map(\.authReqID) }

    /// Sends the `CONSENT_REVOKED` webhook for `sub` to `url` (an unsigned JWT as `text/plain`).
    public func sendConsentRevoked(sub: String, to url: URL) async throws -> Int {
        try await ConsentRevokedWebhook.send(sub: sub, to: url, now: await state.now)
    }
}
