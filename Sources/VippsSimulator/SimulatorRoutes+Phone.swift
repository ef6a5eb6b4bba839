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

    /// Confirm: the consent screens when there is anything to ask (delegated consents not accepted
    /// before, the merchant's own flow not gone through before, the terms every time), else the login
    /// completes at once.
    func phoneConfirm(_ request: HTTPRequest) async -> HTTPResponse {
        guard let (user, login) = await pendingLogin(request) else { return Self.gone }
        let screens = await screensToShow(login)
        if screens.isEmpty { return await complete(login, answers: AppAnswers()) }
        return PhonePages.consents(user: user, login: login, configuration: configuration, screens: screens)
    }

    /// What the app shows for this login, given what the user answered before.
    func screensToShow(_ login: PendingLogin) async -> ConsentScreens {
        var screens = ConsentScreens()
        if login.asksForConsents {
            let remembered = await state.rememberedConsents(msisdn: login.msisdn)
            screens.delegated = configuration.consents.filter { !remembered.contains($0.id) }
        }
        if login.asksForFlow, await state.rememberedFlow(msisdn: login.msisdn) == nil { screens.flow = configuration.customFlow.screens }
        screens.agreement = login.asksForAgreement
        return screens
    }

    /// The consent screens' answer; required consents and checkboxes must be ticked, and the terms accepted.
    func phoneConsents(_ request: HTTPRequest) async -> HTTPResponse {
        guard let (user, login) = await pendingLogin(request) else { return Self.gone }
        let form = request.formFields()
        let ticked = Set(form?.values("consent") ?? [])
        let flowTicked = Set(form?.values("flow") ?? [])
        let screens = await screensToShow(login)
        var missing = screens.delegated.filter { $0.required && !ticked.contains($0.id) }.map(\.textEN)
        missing += screens.flow.flatMap(\.checkboxes).filter { $0.required && !flowTicked.contains($0.id) }.map(\.title)
        if screens.agreement && form?["agreement"] != "accept" { missing.append(configuration.agreement.buttonText) }
        if !missing.isEmpty {
            return PhonePages.consents(
                user: user, login: login, configuration: configuration, screens: screens,
                error: "Tick the required boxes to continue: " + missing.joined(separator: ", "))
        }
        return await complete(login, answers: screens.answers(delegated: ticked, flow: flowTicked, agreement: screens.agreement))
    }

    func phoneCancel(_ request: HTTPRequest) async -> HTTPResponse {
        guard let (_, login) = await pendingLogin(request) else { return Self.gone }
        await state.deny(login.authReqID)
        return PhonePages.page("Login cancelled", "<p>You cancelled the login to \(PhonePages.escape(configuration.merchantName)).</p>")
    }

    /// The redirect variant sends the phone's browser to the merchant; the poll variant ends in the app.
    private func complete(_ login: PendingLogin, answers: AppAnswers) async -> HTTPResponse {
        if let redirect = await state.confirm(login.authReqID, answers: answers) { return .redirect(to: redirect.absoluteString) }
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
