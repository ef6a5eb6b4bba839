import Content
import Foundation
import HTTPServer
import Logging
import ServiceLifecycle
import Storage
import VippsLogin

/// The running product: its database, pages, views and Vipps client, built once at start-up and
/// handed to the routes. The only type that knows every module.
public final class VelkommenApp: Sendable {
    public let configuration: AppConfiguration
    public let database: DatabasePool
    public let pages: PageLibrary
    public let views: Views
    let questions: QuestionBook
    let vipps: VippsLoginClient?
    let logger: Logger
    let exchanges = CodeExchanges()
    let limits: RateLimits
    let signedInCache = SignedInCache()
    let pendingLandings = PendingLandings()
    let sealer: Sealer
    let stores: StoreNames
    public let metrics = AppMetrics()

    init(configuration: AppConfiguration, database: DatabasePool, pages: PageLibrary, views: Views, questions: QuestionBook, sealer: Sealer,
         stores: StoreNames, logger: Logger) {
        self.configuration = configuration
        self.database = database
        self.pages = pages
        self.views = views
        self.questions = questions
        self.sealer = sealer
        self.stores = stores
        let metrics = metrics
        vipps = configuration.vipps.map { vipps in
            var observed = vipps
            observed.observe = { metrics.vippsCall($0) }
            return VippsLoginClient(configuration: observed)
        }
        metrics.watch(database.writeStatistics)
        limits = RateLimits(enabled: configuration.rateLimited)
        self.logger = logger
    }

    /// Opens (creating and migrating) the database, loads templates and strings, seeds the pages of an
    /// empty database and renders the published ones.
    public static func start(_ configuration: AppConfiguration, logger: Logger = Logger(label: "velkommen")) async throws -> VelkommenApp {
        try configuration.validate()
        let database = try openDatabase(configuration.databasePath, busyTimeoutMilliseconds: configuration.databaseBusyTimeoutMilliseconds)
        let views = try await Views.load(from: configuration.templatesDirectory)
        let pages = PageLibrary(store: PageStore(pool: database), catalog: PageCatalog(), logger: logger)
        let seeded = try await pages.seedIfEmpty(from: configuration.templatesDirectory + "/seed")
        if seeded > 0 { logger.info("seeded \(seeded) pages into a new database") }
        try await pages.reload()
        let questions = try await QuestionBook.load(store: QuestionStore(pool: database), seedFile: configuration.templatesDirectory + "/preferences.json")
        // VELKOMMEN_SECRET keys every instance alike; without it, a key made once per database does.
        let sealKey: Data
        if let secret = configuration.secret {
            sealKey = Tokens.sha256("velkommen cookie seal\n" + secret)
        } else {
            sealKey = try await ServerSecretStore(pool: database).secret(named: "cookie-seal", orStore: Sealer.newKey())
        }
        return VelkommenApp(configuration: configuration, database: database, pages: pages, views: views, questions: questions,
                            sealer: Sealer(key: sealKey), stores: try StoreNames.load(path: configuration.templatesDirectory + "/stores.json"), logger: logger)
    }

    static func openDatabase(_ path: String, busyTimeoutMilliseconds: Int32 = 5000) throws -> DatabasePool {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return try DatabasePool(path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
    }

    /// Background work, as services that `serve` runs, cancels on SIGTERM and awaits before exit: the
    /// answer-retention purge, now and every hour.
    public func backgroundServices() -> [any Service] {
        [RetentionService(job: RetentionJob(book: questions, staff: StaffStore(pool: database)), logger: logger)]
    }

    // MARK: Features

    var ledger: ConsentLedger { ConsentLedger(pool: database, hash: Tokens.sha256Hex) }
    var memberSession: MemberSession { MemberSession(store: SessionStore(pool: database), secure: configuration.secureCookies) }
    var visitors: Visitors { Visitors(sessions: memberSession, cache: signedInCache) }
    var starter: LoginStarter {
        LoginStarter(client: vipps, limits: limits, requests: LoginRequestStore(pool: database), events: FunnelEvents(pool: database), callbackURL: configuration.callbackURL,
                     members: MemberStore(pool: database), metrics: metrics, logger: logger)
    }
    var consentNotices: ConsentNotices { ConsentNotices(sealer: sealer, secure: configuration.secureCookies) }
    var landing: Landing { Landing(pool: database, ledger: ledger, cache: signedInCache, metrics: metrics) }
    var browserLogin: BrowserLogin {
        BrowserLogin(cookieName: "velkommen_login", client: vipps, sealer: sealer, landing: landing, callbackURL: configuration.callbackURL,
                     secure: configuration.secureCookies, logger: logger)
    }
    var callback: Callback {
        Callback(client: vipps, requests: LoginRequestStore(pool: database), sessions: memberSession, landing: landing, pool: database,
                 exchanges: exchanges, browserLogins: browserLogin, pendingLandings: pendingLandings,
                 switcher: MemberSwitch(sealer: sealer, members: MemberStore(pool: database), views: views, secure: configuration.secureCookies),
                 notices: consentNotices,
                 logger: logger)
    }

    /// Every route, with errors turned into pages in the visitor's language.
    public func router() throws -> any HTTPHandler {
        let errors = ErrorPages(views: views, logger: logger)
        let customer = CustomerPages(catalog: pages.catalog, views: views, errors: errors, stores: stores)
        let visitors = visitors
        let callback = callback
        let callbackPages = CallbackPages(views: views)
        let browserLogin = browserLogin
        let memberSession = memberSession
        let requests = LoginRequestStore(pool: database)
        let api = PosAPI(keys: ApiKeys(store: ApiKeyStore(pool: database)), starter: starter, requests: requests)
        let webhook = ConsentWebhook(ledger: ledger, cache: signedInCache, limits: limits, logger: logger)
        let views = views
        let openAPI = try Data(contentsOf: URL(fileURLWithPath: configuration.templatesDirectory + "/api/openapi.json"))

        var router = Router()
        router.get("/healthz") { _ in .json(Array(#"{"status":"ok"}"#.utf8)) }
        let readiness = Readiness(pool: database, vipps: vipps)
        router.get("/readyz") { _ in await readiness.response() }
        var files = try StaticFiles(root: configuration.publicDirectory)
        files.cacheControl = "public, max-age=300"
        router.on(.get, "/public/*", use: files)
        router.get("/") { _ in .redirect(to: "/welcome") }
        let members = MemberStore(pool: database)
        let cache = signedInCache
        let pendingLandings = pendingLandings
        let logger = logger
        let metrics = metrics
        let notices = consentNotices
        router.get("/welcome") { request in
            var signedIn = try await visitors.signedIn(request)
            if let current = signedIn, let asked = request.queryValue("lang").flatMap(Language.init(rawValue:)), current.language != asked {
                // A member's language choice is kept with the member, for every device.
                try await members.setLanguage(asked.rawValue, sub: current.member.profile.sub)
                cache.forget(sub: current.member.profile.sub)
                signedIn = try await visitors.signedIn(request)
            }
            if let signedIn, pendingLandings.take(signedIn.member.profile.sub) {
                do {
                    if let waiting = try await requests.awaitingLanding(sub: signedIn.member.profile.sub) {
                        try await requests.landed(id: waiting.id, sessionHash: signedIn.session.idHash)
                        metrics.login("landed")
                    }
                } catch let error as DatabaseError where error.isUnavailable {
                    // The customer's page matters more than the till's "landed" tick: that waits for the next view.
                    pendingLandings.add(signedIn.member.profile.sub)
                    logger.warning("GET /welcome: the landing is not recorded yet, database unavailable (\(error.code))")
                }
            }
            let changes = signedIn == nil ? nil : notices.pending(request)
            var response = try customer.welcome(request, signedIn: signedIn, consentChanges: changes)
            if changes != nil { response.setCookie(notices.spent) }
            return response
        }
        router.get("/offers") { try customer.offers($0, signedIn: try await visitors.signedIn($0)) }
        router.get("/offers/{slug}") { try customer.offer($0, signedIn: try await visitors.signedIn($0)) }
        let limits = limits
        router.get("/callback") { request in
            if let wait = limits.perAddress.take("address:" + request.clientAddress) {
                var response = try callbackPages.problem(.rateLimited, for: request)
                response.headers.set("Retry-After", String(wait))
                return response
            }
            return try await callback.handle(request, pages: callbackPages)
        }
        router.get("/login") { request in
            try await browserLogin.start(request) ?? errors.page(.serviceUnavailable, for: request)
        }
        router.post(MemberSwitch.path, maxBodyBytes: 1024) { try await callback.confirmSwitch($0, pages: callbackPages) }
        router.get("/logout") { request in
            guard let signedIn = try await visitors.signedIn(request) else { return .redirect(to: "/welcome") }
            let language = VisitorLanguage.resolve(request, memberChoice: signedIn.language).language
            return try views.page("pages/logout", in: language, ["csrf": signedIn.session.csrfToken])
        }
        router.post("/logout", maxBodyBytes: 1024) { request in
            // A POST with the session's token: a link or another site cannot sign a member out.
            if let signedIn = try await visitors.signedIn(request) {
                guard CSRF.isValid(request.formFields(), expected: signedIn.session.csrfToken) else {
                    return try views.problem("csrf", in: VisitorLanguage.resolve(request, memberChoice: signedIn.language).language, status: .forbidden)
                }
                cache.forget(idHash: signedIn.session.idHash)
            }
            var response = HTTPResponse.redirect(to: "/welcome")
            response.setCookie(try await memberSession.end(request))
            return response
        }
        router.post("/api/v1/logins", maxBodyBytes: 4096) { try await api.start($0) }
        router.get("/api/v1/logins/{id}") { try await api.status($0) }
        router.get("/api/v1/openapi.json") { _ in .json(Array(openAPI)) }
        router.post("/webhooks/vipps/consent-revoked", maxBodyBytes: 8192) { try await webhook.handle($0) }
        try addMemberRoutes(to: &router, visitors: visitors, errors: errors)
        try addTillRoutes(to: &router, errors: errors)
        try addStaffRoutes(to: &router, errors: errors)
        addEditorRoutes(to: &router)
        addStatsRoutes(to: &router)
        addQuestionRoutes(to: &router)
        router.notFound = ClosureHandler { try errors.page(.notFound, for: $0) }
        router.methodNotAllowed = ClosureHandler { try errors.page(.methodNotAllowed, for: $0) }
        let origin = configuration.publicURL.flatMap { URLComponents(string: $0) }.flatMap { url in
            url.scheme.flatMap { scheme in url.host.map { scheme + "://" + $0 + (url.port.map { ":\($0)" } ?? "") } }
        }
        let app = router.wrapped(in: CrossSiteForms(publicOrigin: origin, views: views)).wrapped(in: ErrorPages.Middleware(pages: errors))
        // Requests are counted only when something can read the counts (a metrics listener).
        let counted = configuration.metricsPort == nil ? app : app.wrapped(in: RequestMetrics(metrics: metrics, router: router))
        return counted.wrapped(in: TrustedProxies(configuration.trustedProxies))
    }

    /// `GET /metrics` (Prometheus text), for its own listener: `openConnections` reads the main server's.
    public func metricsRouter(openConnections: @escaping @Sendable () -> Int) -> any HTTPHandler {
        var router = Router()
        let (metrics, writes) = (metrics, database.writeStatistics)
        router.get("/metrics") { _ in
            HTTPResponse(status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8", "Cache-Control": "no-store"],
                         body: metrics.exposition(writes: writes, openConnections: openConnections()))
        }
        return router
    }
}
