import HTTPServer

/// Counts every request by route pattern, method and status, with its latency. Paths that no route
/// answers are one label (`unmatched`), so a scan of random paths cannot grow the metrics.
struct RequestMetrics: HTTPMiddleware {
    let metrics: AppMetrics
    let router: Router
    /// Any token is a method; only these get a label of their own.
    static let knownMethods: Set<HTTPMethod> = [.get, .head, .post, .put, .patch, .delete, .options]

    func handle(_ request: HTTPRequest, next: any HTTPHandler) async throws -> HTTPResponse {
        let start = ContinuousClock.now
        let response = try await next.handle(request)
        let method = Self.knownMethods.contains(request.method) ? request.method.rawValue : "other"
        metrics.request(
            route: router.routePattern(for: request.head) ?? "unmatched", method: method,
            status: response.status.code, duration: ContinuousClock.now - start)
        return response
    }
}
