import Content
import Foundation
import HTTPServer
import Storage

extension VelkommenApp {
    /// What anyone may read: health, static files, the welcome page and the offers.
    func addSiteRoutes(to router: inout Router) throws {
        let customer = CustomerPages(
            catalog: pages.catalog, views: views, errors: errorPages, stores: stores, appleWallet: wallet.apple != nil,
            googleWallet: wallet.google != nil)
        let visitors = visitors
        let readiness = readiness
        var files = try StaticFiles(root: configuration.publicDirectory)
        files.cacheControl = "public, max-age=300"
        let welcome = WelcomeRoute(
            customer: customer, visitors: visitors, members: MemberStore(pool: database), sessions: SessionStore(pool: database),
            cache: signedInCache, notices: consentNotices, metrics: metrics, logger: logger)
        router.group("", Public()) { site in
            site.get("/healthz") { _ in .json(Array(#"{"status":"ok"}"#.utf8)) }
            site.get("/readyz") { _ in readiness.response() }
            site.on(.get, "/public/*", use: files)
            site.get("/") { _ in .redirect(to: "/welcome") }
            site.get("/welcome") { try await welcome.handle($0) }
            site.get("/offers") { try customer.offers($0, signedIn: try await visitors.signedIn($0)) }
            site.get("/offers/{slug}") { try customer.offer($0, signedIn: try await visitors.signedIn($0)) }
        }
    }

    /// Where logins land and end: the callback and the browser flow's start (each rate-limited per client,
    /// as each makes Vipps work), the question
    /// before switching members, and logout (a POST with the session's token).
    func addLoginRoutes(to router: inout Router) {
        let (callback, callbackPages, browserLogin, limits) = (callback, CallbackPages(views: views), browserLogin, limits)
        let (visitors, memberSession, cache, views, errors) = (visitors, memberSession, signedInCache, views, errorPages)
        router.group("", Public()) { login in
            login.get("/callback") { request in
                if let refusal = try await callbackPages.refusal(limits.perAddress, site: limits.callbacksPerSite, request) { return refusal }
                return try await callback.handle(request, pages: callbackPages)
            }
            login.post(MemberSwitch.path, maxBodyBytes: 1024) { try await callback.confirmSwitch($0, pages: callbackPages) }
            login.get("/login") { request in
                if let refusal = try await callbackPages.refusal(limits.loginStarts, site: limits.loginStartsPerSite, request) { return refusal }
                return try await browserLogin.start(request) ?? errors.page(.serviceUnavailable, for: request)
            }
            login.get("/logout") { request in
                guard let signedIn = try await visitors.signedIn(request) else { return .redirect(to: "/welcome") }
                let language = VisitorLanguage.resolve(request, memberChoice: signedIn.language).language
                return try views.page("pages/logout", in: language, ["csrf": signedIn.session.csrfToken])
            }
            login.post("/logout", maxBodyBytes: 1024) { request in
                if let signedIn = try await visitors.signedIn(request) {
                    guard CSRF.isValid(request.formFields(), expected: signedIn.session.csrfToken) else {
                        return try views.problem(
                            "csrf", in: VisitorLanguage.resolve(request, memberChoice: signedIn.language).language, status: .forbidden)
                    }
                    cache.forget(idHash: signedIn.session.idHash)
                }
                var response = HTTPResponse.redirect(to: "/welcome")
                response.setCookie(try await memberSession.end(request))
                return response
            }
        }
    }

    /// For other systems: the POS API (an API key each) and Vipps' consent webhook (an unsigned hint).
    func addApiRoutes(to router: inout Router) throws {
        let keys = ApiKeys(store: ApiKeyStore(pool: database))
        let api = PosAPI(keys: keys, starter: starter, requests: LoginRequestStore(pool: database), desk: offerDesk)
        let webhook = ConsentWebhook(ledger: ledger, limits: limits, logger: logger)
        let openAPI = try Data(contentsOf: URL(fileURLWithPath: configuration.templatesDirectory + "/api/openapi.json"))
        router.group("/api/v1", RequireApiKey(keys: keys)) { pos in
            // Room for a scanned code (`qr`, up to 512 characters) even when every character is escaped.
            pos.post("/logins", maxBodyBytes: 16384) { try await api.start($0) }
            pos.get("/logins/{id}") { try await api.status($0) }
            pos.post("/offers/{code}/redeem", maxBodyBytes: 1024) { try await api.redeem($0) }
        }
        router.group("", Public()) { open in
            open.get("/api/v1/openapi.json") { _ in .json(Array(openAPI)) }
            open.post("/webhooks/vipps/consent-revoked", maxBodyBytes: 8192) { try await webhook.handle($0) }
        }
    }
}

extension VelkommenApp {
    var offerDesk: OfferDesk {
        OfferDesk(
            offers: WelcomeOfferStore(pool: database), settings: OfferSettingsStore(pool: database), members: MemberStore(pool: database),
            stores: stores)
    }
}

extension VelkommenApp {
    var welcomeOffers: WelcomeOffers { WelcomeOffers(offers: WelcomeOfferStore(pool: database), settings: OfferSettingsStore(pool: database)) }
}
