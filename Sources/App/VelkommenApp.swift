import Content
import Foundation
import HTTPServer
import Logging
import Storage

/// The running product: its database, pages and views, built once at start-up and handed to the
/// routes. The only type that knows every module.
public final class VelkommenApp: Sendable {
    public let configuration: AppConfiguration
    public let database: DatabasePool
    public let pages: PageLibrary
    public let views: Views
    let logger: Logger

    init(configuration: AppConfiguration, database: DatabasePool, pages: PageLibrary, views: Views, logger: Logger) {
        self.configuration = configuration
        self.database = database
        self.pages = pages
        self.views = views
        self.logger = logger
    }

    /// Opens (creating and migrating) the database, loads templates and strings, seeds the pages of an
    /// empty database and renders the published ones.
    public static func start(_ configuration: AppConfiguration, logger: Logger = Logger(label: "velkommen")) async throws -> VelkommenApp {
        try configuration.validate()
        let folder = URL(fileURLWithPath: configuration.databasePath).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let database = try DatabasePool(path: configuration.databasePath)
        let views = try await Views.load(from: configuration.templatesDirectory)
        let pages = PageLibrary(store: PageStore(pool: database), catalog: PageCatalog(), logger: logger)
        let seeded = try await pages.seedIfEmpty(from: configuration.templatesDirectory + "/seed")
        if seeded > 0 { logger.info("seeded \(seeded) pages into a new database") }
        try await pages.reload()
        return VelkommenApp(configuration: configuration, database: database, pages: pages, views: views, logger: logger)
    }

    /// Every route, with errors turned into pages in the visitor's language.
    public func router() throws -> any HTTPHandler {
        let errors = ErrorPages(views: views, logger: logger)
        let customer = CustomerPages(catalog: pages.catalog, views: views, errors: errors)
        var router = Router()
        router.get("/healthz") { _ in .json(Array(#"{"status":"ok"}"#.utf8)) }
        var files = try StaticFiles(root: configuration.publicDirectory)
        files.cacheControl = "public, max-age=300"
        router.on(.get, "/public/*", use: files)
        router.get("/") { _ in .redirect(to: "/welcome") }
        router.get("/welcome") { try customer.welcome($0) }
        router.get("/offers") { try customer.offers($0) }
        router.get("/offers/{slug}") { try customer.offer($0) }
        router.notFound = ClosureHandler { try errors.page(.notFound, for: $0) }
        router.methodNotAllowed = ClosureHandler { try errors.page(.methodNotAllowed, for: $0) }
        return router.wrapped(in: ErrorPages.Middleware(pages: errors))
    }
}
