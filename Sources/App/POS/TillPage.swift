import Content
import Foundation
import HTTPServer
import Storage
import VippsLogin

/// `/pos`: the till's page. Staff type the customer's phone number, start the login, and watch it
/// complete: the binding message in large type and the live status (a small script polls; without
/// JavaScript the page refreshes itself). Access: a POS API key kept in a cookie, or the simulator's
/// demo mode. Staff login replaces the key with the staff issue.
struct TillPage: Sendable {
    static let keyCookie = "velkommen_pos"
    static let csrfCookie = "velkommen_pos_csrf"
    static let demoStore = "demo"
    static let terminalCookie = "velkommen_terminal"

    let keys: ApiKeys
    let access: StaffAccess
    let starter: LoginStarter
    let requests: LoginRequestStore
    let views: Views
    let stores: StoreNames
    let members: MemberStore
    let pairings: TillPairingStore
    let desk: OfferDesk
    /// Guesses at pairing codes, per client address.
    let pairingLimit: RateLimiter
    let demo: Bool
    let secure: Bool

    /// Staff with the pos (or admin) role use the till for the main store.
    static let staffStore = "main"

    /// The store this till acts for, or nil when it has no access.
    func store(_ request: HTTPRequest) async throws -> String? {
        if let key = request.cookie(Self.keyCookie), let found = try await keys.verify(key) { return found.store }
        if let staff = try await access.current(request), [.pos, .admin].contains(staff.staff.role) { return Self.staffStore }
        return demo ? Self.demoStore : nil
    }

    func show(_ request: HTTPRequest, error: String? = nil, phone: String = "", status: HTTPStatus = .ok) async throws -> HTTPResponse {
        let language = VisitorLanguage.resolve(request).language
        let csrf = request.cookie(Self.csrfCookie).flatMap { $0.count == 32 ? $0 : nil } ?? Tokens.random(bytes: 24)
        var response: HTTPResponse
        if let store = try await store(request) {
            let brand = stores.brand(of: store)
            response = try views.page(
                "pages/pos", in: language, status: status,
                [
                    "t": brand.apply(views.strings(in: language)), "brandName": brand.name, "brandLogo": brand.logo,
                    "storeName": stores.name(of: store, in: language) ?? store, "csrf": csrf, "error": error.map { brand.apply($0) } ?? "",
                    "hasError": error != nil, "phone": phone, "terminal": Self.terminal(request) ?? "", "endsInApp": stores.ending(of: store) == .app,
                ])
        } else {
            response = try views.page(
                "pages/pos-key", in: language, status: error == nil ? .ok : status, ["error": error as Any? ?? false, "csrf": csrf])
        }
        // Double-submit token: a same-site-only cookie another site's form cannot send.
        response.setCookie(SetCookie(name: Self.csrfCookie, value: csrf, path: "/pos", secure: secure, httpOnly: true, sameSite: .strict))
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    /// The terminal this device last used: remembered per device (a cookie), not reset at every login.
    static func terminal(_ request: HTTPRequest) -> String? {
        request.cookie(terminalCookie).flatMap { LoginStarter.isIdentifier($0) ? $0 : nil }
    }

    /// `POST /pos/key`: keeps a valid API key in a cookie for this till.
    func saveKey(_ request: HTTPRequest) async throws -> HTTPResponse {
        let language = VisitorLanguage.resolve(request).language
        let form = request.formFields()
        guard let expected = request.cookie(Self.csrfCookie), CSRF.isValid(form, expected: expected) else {
            return try await show(request, error: views.text("csrf_message", in: language), status: .forbidden)
        }
        var key = form?["key"]?.trimmingCharacters(in: .whitespaces) ?? ""
        if let code = PairingCode.normalise(key) {
            // A pairing code from /admin: it becomes a key of this till's own, once.
            if let wait = try await pairingLimit.take(client: request.clientAddress) {
                var response = try await show(request, error: views.text("pos_error_rate_limited", in: language), status: .tooManyRequests)
                response.headers.set("Retry-After", String(wait))
                return response
            }
            let newKey = ApiKeys.newKey()
            guard try await pairings.redeem(codeHash: Tokens.sha256Hex(code), prefix: newKey.prefix, secretHash: newKey.secretHash) != nil else {
                return try await show(request, error: views.text("pos_pairing_invalid", in: language), status: .unauthorized)
            }
            key = newKey.text
        }
        guard try await keys.verify(key) != nil else {
            return try await show(request, error: views.text("pos_key_invalid", in: language), status: .unauthorized)
        }
        var response = HTTPResponse.redirect(to: "/pos")
        response.setCookie(
            SetCookie(name: Self.keyCookie, value: key, path: "/pos", maxAge: 365 * 24 * 3600, secure: secure, httpOnly: true, sameSite: .strict))
        return response
    }

    func start(_ request: HTTPRequest) async throws -> HTTPResponse {
        let language = VisitorLanguage.resolve(request).language
        let store = try request.tillStore
        let form = request.formFields()
        guard let expected = request.cookie(Self.csrfCookie), CSRF.isValid(form, expected: expected) else {
            return try await show(request, error: views.text("csrf_message", in: language), status: .forbidden)
        }
        let typed = form?["phone"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        // A welcome offer's code scanned into the phone field (it has letters; a number has none) is redeemed.
        if typed.contains(where: \.isLetter), !typed.contains(":"), WelcomeOfferStore.normalise(typed) != nil {
            return try await redeem(request, code: typed)
        }
        let input = LoginStarter.Input(
            phone: typed, bindingMessage: "auto", store: store,
            terminal: form?["terminal"],
            consents: form?["consents"] == "yes", ending: form?["ending"].flatMap(LoginRequest.Ending.init(rawValue:)))
        do {
            let login = try await starter.start(input, till: "store:" + store)
            var response = HTTPResponse.redirect(to: "/pos/logins/\(login.id)")
            if let terminal = login.terminal {
                response.setCookie(
                    SetCookie(
                        name: Self.terminalCookie, value: terminal, path: "/pos", maxAge: 365 * 24 * 3600, secure: secure,
                        httpOnly: true, sameSite: .strict))
            }
            return response
        } catch let failure as LoginStarter.Failure {
            // A scanned code is not put back in the field: the next scan would be appended to it.
            return try await show(
                request, error: views.text(Self.message(for: failure), in: language), phone: input.phone.contains("://") ? "" : input.phone,
                status: .unprocessableContent)
        }
    }

    func progress(_ request: HTTPRequest) async throws -> HTTPResponse {
        let language = VisitorLanguage.resolve(request).language
        guard let (store, login) = try await ownLogin(request) else {
            return try views.problem("not_found", in: language, status: .notFound)
        }
        let screen = try await Screen(login, members: members, views: views, language: language, brand: stores.brand(of: store))
        let brand = stores.brand(of: store)
        var values: [String: Any] = [
            "t": brand.apply(views.strings(in: language)), "brandName": brand.name, "brandLogo": brand.logo, "id": login.id,
            "bindingMessage": login.bindingMessage ?? "", "state": screen.state.rawValue, "waiting": screen.state == .waiting,
            "heading": screen.heading, "text": screen.text, "secondsLeft": screen.secondsLeft, "expiresAt": screen.clock,
            "mismatch": login.phoneMismatch, "storeName": stores.name(of: store, in: language) ?? store,
            "csrf": request.cookie(Self.csrfCookie) ?? "",
        ]
        if screen.state == .registered, let joined = try await desk.joined(login) {
            values["member"] = Self.memberValues(joined.member, offer: joined.offer, language: language)
        }
        var response = try views.page("pages/pos-login", in: language, values)
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    func statusJSON(_ request: HTTPRequest) async throws -> HTTPResponse {
        let language = VisitorLanguage.resolve(request).language
        guard let (store, login) = try await ownLogin(request) else { return Problem.notFound.response }
        let screen = try await Screen(login, members: members, views: views, language: language, brand: stores.brand(of: store))
        var object: [String: Any] = [
            "status": login.status(at: Date()).rawValue, "state": screen.state.rawValue, "heading": screen.heading,
            "text": screen.text, "secondsLeft": screen.secondsLeft,
        ]
        if screen.state == .registered, let joined = try await desk.joined(login) {
            object["member"] = ["number": joined.member.number, "displayName": joined.member.displayName ?? "", "new": joined.member.new]
            if let offer = joined.offer {
                object["welcomeOffer"] = ["code": offer.code, "validUntil": offer.validUntil, "redeemed": offer.redeemedAt != nil]
            }
        }
        var response = HTTPResponse.json(Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()))
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    /// `POST /pos/logins/{id}/cancel`: "Avbryt" while waiting. Cancels on our side only.
    func cancel(_ request: HTTPRequest) async throws -> HTTPResponse {
        let language = VisitorLanguage.resolve(request).language
        guard let (_, login) = try await ownLogin(request) else { return try views.problem("not_found", in: language, status: .notFound) }
        guard let expected = request.cookie(Self.csrfCookie), CSRF.isValid(request.formFields(), expected: expected) else {
            return try views.problem("csrf", in: language, status: .forbidden)
        }
        _ = try await requests.cancel(id: login.id)
        return .redirect(to: "/pos/logins/\(login.id)")
    }

    /// The login named in the path, when it belongs to this till's store.
    private func ownLogin(_ request: HTTPRequest) async throws -> (String, LoginRequest)? {
        let store = try request.tillStore
        guard let id = request.parameter("id"), let login = try await requests.find(id: id), login.store == store else { return nil }
        return (store, login)
    }

    /// What the status screen says about a login now.
    struct Screen {
        var state: TillState
        var heading: String
        var text: String
        var secondsLeft: Int
        var clock: String

        init(_ login: LoginRequest, members: MemberStore, views: Views, language: Language, brand: Brand = .vipps, now: Date = Date()) async throws {
            state = TillState(login, at: now)
            var name = views.text("till_customer", in: language)
            if state == .registered, let sub = login.memberSub, let profile = try await members.find(sub: sub)?.profile {
                name = TillState.shortName(given: profile.givenName, family: profile.familyName, full: profile.name) ?? name
            }
            heading = brand.apply(views.text(state.headingKey, in: language)).replacingOccurrences(of: "{name}", with: name)
            text = brand.apply(views.text(state.textKey(login, at: now), in: language)).replacingOccurrences(
                of: "{phone}", with: TillState.maskedPhone(login.phoneHint))
            let left = max(0, Int(login.expiresAt.timeIntervalSince(now).rounded(.down)))
            secondsLeft = state == .waiting ? left : 0
            clock = "\(left / 60):" + String(format: "%02d", left % 60)
        }
    }

    /// The string key of the till's message for a failed start; `time` decides whether a Vipps failure falls
    /// in Vipps' weekly maintenance window.
    static func message(for failure: LoginStarter.Failure, at time: Date = Date()) -> String {
        switch failure {
        case .invalidPhone: "pos_error_phone"
        case .noVippsUser: "pos_error_no_vipps_user"
        case .qr(.malformed): "pos_error_qr_invalid"
        case .qr(.foreign): "pos_error_qr_foreign"
        case .qr(.exchangeNotConfigured): "pos_error_qr_exchange_missing"
        case .qr(.unknown): "pos_error_qr_unknown"
        case .qr(.exchangeUnavailable(misconfigured: true)): "pos_error_misconfigured"
        case .qr(.exchangeUnavailable): "pos_error_qr_unavailable"
        case .invalidBindingMessage, .invalidStore, .invalidTerminal: "pos_error_input"
        case .vippsNotConfigured: "pos_error_unavailable"
        case .vipps(.invalidUser): "pos_error_no_vipps"
        case .vipps(.oldApp): "pos_error_old_app"
        case .vipps(.rateLimited), .rateLimited: "pos_error_rate_limited"
        case .vipps(let error) where error.isMisconfiguration: "pos_error_misconfigured"
        case .vipps where VippsMaintenance.contains(time): "pos_error_maintenance"
        case .vipps: "pos_error_unavailable"
        }
    }
}
