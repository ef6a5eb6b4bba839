import Foundation
import HTTPServer

extension SimulatorRoutes {
    /// `GET /phone/{msisdn}`: the pending logins, as the Vipps app would show them.
    func phone(_ request: HTTPRequest) async -> HTTPResponse {
        guard let user = await user(request) else {
            return PhonePages.page("Unknown phone", "<p>No test user has this number.</p>", status: .notFound)
        }
        return PhonePages.pending(user: user, logins: await state.pendingLogins(msisdn: user.msisdn), merchant: configuration.merchantName)
    }

    /// Confirm: the consent screen when consents were asked for, else the login completes.
    func phoneConfirm(_ request: HTTPRequest) async -> HTTPResponse {
        guard let (user, login) = await pendingLogin(request) else { return Self.gone }
        guard login.asksForConsents else { return await complete(login, consents: nil) }
        let open = await consentsToAsk(user)
        // Everything asked for was accepted before: no consent screen, as in the Vipps app.
        if open.isEmpty { return await complete(login, consents: Dictionary(uniqueKeysWithValues: configuration.consents.map { ($0.id, false) })) }
        return PhonePages.consents(user: user, login: login, configuration: configuration, consents: open)
    }

    /// The configured consents this user has not accepted before.
    private func consentsToAsk(_ user: TestUser) async -> [SimulatorConfiguration.Consent] {
        let remembered = await state.rememberedConsents(msisdn: user.msisdn)
        return configuration.consents.filter { !remembered.contains($0.id) }
    }

    /// The consent screen's answer; required consents must be ticked.
    func phoneConsents(_ request: HTTPRequest) async -> HTTPResponse {
        guard let (user, login) = await pendingLogin(request) else { return Self.gone }
        let ticked = Set(request.formFields()?.values("consent") ?? [])
        let open = await consentsToAsk(user)
        let missing = open.filter { $0.required && !ticked.contains($0.id) }
        if !missing.isEmpty {
            return PhonePages.consents(
                user: user, login: login, configuration: configuration, consents: open,
                error: "Tick the required consents to continue: " + missing.map(\.textEN).joined(separator: ", "))
        }
        return await complete(login, consents: Dictionary(uniqueKeysWithValues: configuration.consents.map { ($0.id, ticked.contains($0.id)) }))
    }

    func phoneCancel(_ request: HTTPRequest) async -> HTTPResponse {
        guard let (_, login) = await pendingLogin(request) else { return Self.gone }
        await state.deny(login.authReqID)
        return PhonePages.page("Login cancelled", "<p>You cancelled the login to \(PhonePages.escape(configuration.merchantName)).</p>")
    }

    /// The redirect variant sends the phone's browser to the merchant; the poll variant ends in the app.
    private func complete(_ login: PendingLogin, consents: [String: Bool]?) async -> HTTPResponse {
        if let redirect = await state.confirm(login.authReqID, consents: consents) { return .redirect(to: redirect.absoluteString) }
        return PhonePages.page(
            "Login complete", "<p>You are logged in to \(PhonePages.escape(configuration.merchantName)). You can close this screen.</p>")
    }

    private func user(_ request: HTTPRequest) async -> TestUser? {
        guard let msisdn = request.parameter("msisdn") else { return nil }
        return await state.user(msisdn: msisdn)
    }

    private func pendingLogin(_ request: HTTPRequest) async -> (TestUser, PendingLogin)? {
        guard let user = await user(request), let id = request.parameter("id"), let login = await state.login(id),
            login.msisdn == user.msisdn, login.status == .pending, login.expiresAt > (await state.now)
        else { return nil }
        return (user, login)
    }

    static let gone = PhonePages.page("Login no longer waiting", "<p>This login was already answered, or it expired.</p>", status: .gone)
}
