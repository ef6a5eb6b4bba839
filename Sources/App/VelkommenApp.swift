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
    public let database: any DatabasePool
    public let pages: PageLibrary
    public let views: Views
    let questions: QuestionBook
    let vipps: VippsLoginClient?
    let qrExchange: PersonalQRExchange?
    let logger: Logger
    let exchanges = CodeExchanges()
    let limits: RateLimits
    let signedInCache: SignedInCache
    let sealer: Sealer
    let stores: StoreNames
    let consentMapping: ConsentMapping
    let wallet: WalletServices
    /// What `/readyz` answers, kept fresh by `ReadinessProbe`.
    let readiness: Readiness
    public let metrics = AppMetrics()

    init(
        configuration: AppConfiguration, database: any DatabasePool, pages: PageLibrary, views: Views, questions: QuestionBook, sealer: Sealer,
        stores: StoreNames, consentMapping: ConsentMapping = ConsentMapping(), wallet: WalletServices = WalletServices(), logger: Logger
    ) {
        self.configuration = configuration
        self.database = database
        self.pages = pages
        self.views = views
        self.questions = questions
        self.sealer = sealer
        self.stores = stores
        self.consentMapping = consentMapping
        self.wallet = wallet
        let metrics = metrics
        let vippsHealth = VippsCallHealth()
        let vipps = configuration.vipps.map { vipps in
            var observed = vipps
            observed.observe = { call in
                metrics.vippsCall(call)
                vippsHealth.record(call)
            }
            return VippsLoginClient(configuration: observed)
        }
        qrExchange = configuration.qrExchange.map { PersonalQRExchange(configuration: $0) }
        self.vipps = vipps
        readiness = Readiness(pool: database, vipps: vipps, calls: vippsHealth)
        metrics.watch(database.writeStatistics)
        // Instances that share a database share its limits; one instance alone keeps them in memory. A
        // member changed on another instance is seen here within the cache's second (5 s alone, where
        // every change passes through this process's own change feed).
        let shared = (try? DatabaseLocation(configuration.databasePath))?.isShared ?? false
        let cache = SignedInCache(lifetime: shared ? 1 : 5)
        signedInCache = cache
        // A member written by this instance is read afresh on their next view.
        database.memberChanges.listen { cache.forget(sub: $0) }
        limits = RateLimits(enabled: configuration.rateLimited, shared: shared ? RateBucketStore(pool: database) : nil)
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
        let questions = try await QuestionBook.load(
            store: QuestionStore(pool: database), seedFile: configuration.templatesDirectory + "/preferences.json")
        // VELKOMMEN_SECRET keys every instance alike (VELKOMMEN_SECRET_PREVIOUS still opens cookies for
        // their lifetime after a start, for a rotation by restart); without it, keys made in the
        // database do, rotated with `velkommen secret rotate`.
        let sealKeys: SealKeys
        if let secret = configuration.secret {
            let started = Date()
            sealKeys = SealKeys(
                [Sealer.Generation(key: Self.sealKey(secret), activeFrom: started)]
                    + configuration.previousSecrets.map { Sealer.Generation(key: Self.sealKey($0), activeFrom: .distantPast) })
        } else {
            let generations = try await ServerSecretStore(pool: database).generations(of: SealKeyRefresh.secretName, orStore: Sealer.newKey())
            sealKeys = SealKeys(generations.map { Sealer.Generation(key: $0.value, activeFrom: $0.activeFrom) })
        }
        return VelkommenApp(
            configuration: configuration, database: database, pages: pages, views: views, questions: questions,
            sealer: Sealer(keys: sealKeys), stores: try StoreNames.load(path: configuration.templatesDirectory + "/stores.json"),
            consentMapping: try ConsentMapping.load(path: configuration.templatesDirectory + "/consents.json"),
            wallet: try await WalletServices.start(configuration, database: database, views: views), logger: logger)
    }

    static func sealKey(_ secret: String) -> Data { Tokens.sha256("velkommen cookie seal\n" + secret) }

    /// Opens the database the operator named: a SQLite file, or PostgreSQL by URL.
    static func openDatabase(_ location: String, busyTimeoutMilliseconds: Int32 = 5000) throws -> any DatabasePool {
        try DatabaseLocation(location).open(busyTimeoutMilliseconds: busyTimeoutMilliseconds)
    }

    /// Background work, as services that `serve` runs, cancels on SIGTERM and awaits before exit: the
    /// answer-retention purge, now and every hour, and the polling of logins that end in the Vipps app.
    public func backgroundServices() -> [any Service] {
        [
            RetentionService(
                job: RetentionJob(book: questions, staff: StaffStore(pool: database)), schedule: JobSchedule(pool: database),
                buckets: RateBucketStore(pool: database), requests: LoginRequestStore(pool: database), spent: SpentTokenStore(pool: database),
                webhooks: WebhookStore(pool: database), logger: logger),
            StatsRefreshService(stats: StatsStore(pool: database), schedule: JobSchedule(pool: database), logger: logger),
            ReadinessProbe(readiness: readiness),
        ]
            + (configuration.secret == nil
                ? [SealKeyRefresh(keys: sealer.keys, store: ServerSecretStore(pool: database), logger: logger)] : [])
            + [appEndingPoller].compactMap { $0 }
            + [webhookDelivery]
    }

    /// Sends the webhook outbox to the merchant's endpoints.
    var webhookDelivery: WebhookDeliveryService {
        WebhookDeliveryService(
            store: WebhookStore(pool: database), allowPrivateTargets: configuration.allowPrivateWebhookTargets, logger: logger, metrics: metrics)
    }

    /// Polls Vipps for the logins that end in the app (none without a Vipps client).
    var appEndingPoller: AppEndingPoller? {
        vipps.map { AppEndingPoller(client: $0, requests: LoginRequestStore(pool: database), landing: landing, metrics: metrics, logger: logger) }
    }

    // MARK: Features

    var ledger: ConsentLedger { ConsentLedger(pool: database, hash: Tokens.sha256Hex) }
    var memberSession: MemberSession { MemberSession(store: SessionStore(pool: database), secure: configuration.secureCookies) }
    var visitors: Visitors { Visitors(sessions: memberSession, cache: signedInCache) }
    var starter: LoginStarter {
        LoginStarter(
            client: vipps, qrExchange: qrExchange, limits: limits, requests: LoginRequestStore(pool: database),
            events: FunnelEvents(pool: database), callbackURL: configuration.callbackURL,
            members: MemberStore(pool: database), stores: stores, metrics: metrics, logger: logger,
            consentScope: configuration.consentScope, agreement: configuration.agreement)
    }
    var consentNotices: ConsentNotices { ConsentNotices(sealer: sealer, secure: configuration.secureCookies) }
    var landing: Landing { Landing(landings: Landings(ledger: ledger), mapping: consentMapping, metrics: metrics) }
    var browserLogin: BrowserLogin {
        BrowserLogin(
            cookieName: "velkommen_login", scopes: LoginStarter.scopes, client: vipps, sealer: sealer, spent: SpentTokenStore(pool: database),
            landing: landing,
            callbackURL: configuration.callbackURL,
            secure: configuration.secureCookies, logger: logger)
    }
    var callback: Callback {
        Callback(
            client: vipps, requests: LoginRequestStore(pool: database), sessions: memberSession, landing: landing,
            exchanges: exchanges, browserLogins: browserLogin, signedInCache: signedInCache,
            switcher: MemberSwitch(
                sealer: sealer, members: MemberStore(pool: database), requests: LoginRequestStore(pool: database), views: views,
                secure: configuration.secureCookies),
            notices: consentNotices,
            logger: logger)
    }

    /// The site: the route table with what runs around it, from the outside in: the client's address
    /// behind a trusted proxy, request metrics (when a listener reads them), errors as pages in the
    /// visitor's language, and the refusal of cross-site POSTs.
    public func router() throws -> any HTTPHandler {
        let table = try routeTable()
        let origin = configuration.publicURL.flatMap { URLComponents(string: $0) }.flatMap { url in
            url.scheme.flatMap { scheme in url.host.map { scheme + "://" + $0 + (url.port.map { ":\($0)" } ?? "") } }
        }
        let app = table.wrapped(in: CrossSiteForms(publicOrigin: origin, views: views)).wrapped(in: ErrorPages.Middleware(pages: errorPages))
        let counted = configuration.metricsPort == nil ? app : app.wrapped(in: RequestMetrics(metrics: metrics, router: table))
        return counted.wrapped(in: TrustedProxies(configuration.trustedProxies))
    }

    /// The site's table of contents: every route, each under the access rule that guards it
    /// (`Router.routes` lists them; a test fails for a route without one).
    func routeTable() throws -> Router {
        var router = Router()
        try addSiteRoutes(to: &router)
        addLoginRoutes(to: &router)
        try addApiRoutes(to: &router)
        addMemberRoutes(to: &router)
        addTillRoutes(to: &router)
        addStaffRoutes(to: &router)
        addEditorRoutes(to: &router)
        addStatsRoutes(to: &router)
        addQuestionRoutes(to: &router)
        addWalletRoutes(to: &router)
        let errors = errorPages
        router.notFound = ClosureHandler { try errors.page(.notFound, for: $0) }
        router.methodNotAllowed = ClosureHandler { try errors.page(.methodNotAllowed, for: $0) }
        return router
    }

    var errorPages: ErrorPages { ErrorPages(views: views, logger: logger) }

    /// For `HTTPServer.Configuration.refusal`: the server's own refusals as the site's pages.
    public var refusals: @Sendable (HTTPStatus, HTTPRequestHead?) -> HTTPResponse? {
        let pages = errorPages
        return { status, head in pages.refusal(status, head: head) }
    }

    /// `GET /metrics` (Prometheus text), for its own listener: `openConnections` reads the main server's.
    public func metricsRouter(openConnections: @escaping @Sendable () -> Int) -> any HTTPHandler {
        var router = Router()
        let (metrics, writes) = (metrics, database.writeStatistics)
        router.get("/metrics") { _ in
            HTTPResponse(
                status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8", "Cache-Control": "no-store"],
                body: metrics.exposition(writes: writes, openConnections: openConnections()))
        }
        return router
    }
}
