import Foundation
import HTTPServer

/// Test hooks over HTTP, for tests that drive the simulator from another process.
extension SimulatorRoutes {
    /// `POST /_sim/hooks` with a `SimulatorHooks` JSON body; answers the hooks now in force.
    func setHooks(_ request: HTTPRequest) async -> HTTPResponse {
        guard let hooks = try? JSONDecoder().decode(SimulatorHooks.self, from: Data(request.body)) else {
            return OAuthProblem.error(.badRequest, "invalid_request", "The body must be a JSON object of simulator hooks.")
        }
        await state.setHooks(hooks)
        return .json(Array((try? JSONEncoder().encode(hooks)) ?? Data()))
    }

    /// `POST /_sim/logins/{id}/approve`, optional body `{"consents": ["sms"], "flow": ["cf_offers_email"],
    /// "agreement": true}` (left out: everything ticked, terms accepted); answers `{"redirect": …}`.
    func hookApprove(_ request: HTTPRequest) async -> HTTPResponse {
        struct Body: Decodable {
            var consents: [String]?
            var flow: [String]?
            var agreement: Bool?
        }
        guard let id = request.parameter("id"), let login = await state.login(id), login.status == .pending else {
            return OAuthProblem.error(.notFound, "not_found", "No pending login with that auth_req_id.")
        }
        let body = try? JSONDecoder().decode(Body.self, from: Data(request.body))
        let answers = await approval(
            login, consents: body?.consents.map(Set.init), flow: body?.flow.map(Set.init), agreement: body?.agreement ?? true)
        let redirect = await state.confirm(id, answers: answers)
        return OAuthProblem.json(redirect.map { ["redirect": $0.absoluteString] } ?? [:])
    }

    /// The answers of a user who ticks `consents` and `flow` (nil: every box) on the screens this login shows.
    func approval(_ login: PendingLogin, consents: Set<String>?, flow: Set<String>?, agreement: Bool) async -> AppAnswers {
        let screens = await screensToShow(login)
        return screens.answers(
            delegated: consents ?? Set(screens.delegated.map(\.id)), flow: flow ?? Set(screens.flow.flatMap(\.checkboxes).map(\.id)),
            agreement: agreement && screens.agreement)
    }

    func hookCancel(_ request: HTTPRequest) async -> HTTPResponse {
        guard let id = request.parameter("id") else { return .status(.notFound) }
        await state.deny(id)
        return OAuthProblem.json([:])
    }

    /// `POST /_sim/clock` with `{"advanceSeconds": 301}`: moves the simulator's clock forward.
    func hookClock(_ request: HTTPRequest) async -> HTTPResponse {
        struct Body: Decodable { var advanceSeconds: Double }
        guard let body = try? JSONDecoder().decode(Body.self, from: Data(request.body)) else {
            return OAuthProblem.error(.badRequest, "invalid_request", "The body must be {\"advanceSeconds\": N}.")
        }
        await state.advanceClock(by: body.advanceSeconds)
        return OAuthProblem.json([:])
    }

    /// `GET /_sim/counts`: `{"token": {"authorization_code": 3, …}}`, the token requests so far by grant type.
    func hookCounts() async -> HTTPResponse {
        OAuthProblem.json(["token": await state.tokenRequests])
    }
}
