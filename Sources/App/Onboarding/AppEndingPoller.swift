import Foundation
import Logging
import ServiceLifecycle
import Storage
import VippsLogin

/// Logins that end in the Vipps app: nobody comes back to `/callback`, so we ask Vipps' token endpoint,
/// honouring `interval` and `slow_down`, until the customer confirms, cancels, or the login expires. The
/// schedule lives in the database (`next_poll_at`): a restart resumes where it was, and a login past its
/// expiry is not polled again. One poller per
/// process polls the due logins one after another, so no login ever has two polls in flight. A confirmed
/// login is recorded by the same code as a landing on the web page (`Landing.record`).
struct AppEndingPoller: Service {
    let client: VippsLoginClient
    let requests: LoginRequestStore
    let landing: Landing
    let metrics: AppMetrics
    let logger: Logger
    var tick: Duration = .milliseconds(500)

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await pollDue()
            } catch {
                logger.warning("app ending: polling failed, trying again shortly: \(String(reflecting: type(of: error)))")
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: tick) }
            } catch {
                return
            }
        }
    }

    /// Polls every login whose next poll is due, once.
    func pollDue(now: @Sendable () -> Date = Date.init) async throws {
        for login in try await requests.duePolls(at: now()) {
            try await poll(login, now: now())
        }
    }

    private func poll(_ login: LoginRequest, now: Date) async throws {
        guard let authReqID = login.authReqID else { return }
        let interval = login.pollInterval ?? 5
        switch await ask(authReqID: authReqID, interval: interval) {
        case .success(let info):
            try await landing.record(info, request: login, source: "login", at: Date())
            logger.info("app ending: login confirmed in the app")
        case .failure(.authorizationPending):
            try await requests.reschedule(id: login.id, interval: interval, nextPollAt: now.addingTimeInterval(interval))
        case .failure(.slowDown(let slower)):
            let next = max(slower, interval + 5)
            try await requests.reschedule(id: login.id, interval: next, nextPollAt: now.addingTimeInterval(next))
        case .failure(.accessDenied):
            metrics.loginFailed("access_denied")
            try await requests.fail(id: login.id, reason: "access_denied")
        case .failure(.expiredToken):
            metrics.loginFailed("expired_token")
            try await requests.fail(id: login.id, reason: "expired_token")
        case .failure(let error) where Self.isTransient(error):
            // Vipps is slow or down: keep asking, less often; the till counts down meanwhile.
            logger.warning("app ending: Vipps did not answer the poll: \(error)")
            try await requests.reschedule(
                id: login.id, interval: interval, nextPollAt: now.addingTimeInterval(min(60, interval * 2)),
                note: Self.vippsUnreachable)
        case .failure(let error):
            logger.warning("app ending: the login failed: \(error)")
            metrics.loginFailed(LoginStarter.reason(error))
            try await requests.fail(id: login.id, reason: LoginStarter.reason(error))
        }
    }

    /// One poll, and when it brings tokens, the verified ID token and userinfo.
    private func ask(authReqID: String, interval: Double) async -> Result<UserInfo, VippsLoginError> {
        do {
            let tokens = try await client.pollToken(authReqID: authReqID, interval: Int(interval))
            let claims = try await client.verifyIDToken(tokens.idToken, authReqID: authReqID)
            return .success(try await client.userInfo(accessToken: tokens.accessToken, expectedSubject: claims.sub))
        } catch {
            return .failure(error)
        }
    }

    /// Kept with a waiting login while Vipps does not answer its polls, so the till can say so.
    static let vippsUnreachable = "vipps_unreachable"

    static func isTransient(_ error: VippsLoginError) -> Bool {
        switch error {
        case .timeout, .transport, .serverError, .rateLimited: true
        default: false
        }
    }
}
