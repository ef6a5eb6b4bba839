import HTTPServer

/// Velkommen's routes. Grows with each feature; the handlers stay thin over feature types.
public enum AppRoutes {
    /// The router for `configuration`; fails when the public folder is missing.
    public static func router(_ configuration: AppConfiguration) throws -> Router {
        var router = Router()
        router.get("/healthz") { _ in
            .json(Array(#"{"status":"ok"}"#.utf8))
        }
        var files = try StaticFiles(root: configuration.publicDirectory)
        files.cacheControl = "public, max-age=300"
        router.on(.get, "/public/*", use: files)
        return router
    }
}
