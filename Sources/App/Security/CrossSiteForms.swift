import Foundation
import HTTPServer

/// Defence in depth for every state-changing request, besides each form's token: a POST that the
/// browser says came from another site (`Sec-Fetch-Site: cross-site`) or whose `Origin` is not ours is
/// refused before any handler sees it. The Vipps webhook and the POS API are called by servers on
/// purpose and keep their own checks (no cookies; a bearer key).
struct CrossSiteForms: HTTPMiddleware {
    static let exemptPrefixes = ["/webhooks/vipps/", "/api/"]

    /// Our public origin (`https://velkommen.example`), when configured: behind a proxy the `Host`
    /// header may not be what browsers see.
    let publicOrigin: String?
    let views: Views

    func handle(_ request: HTTPRequest, next: any HTTPHandler) async throws -> HTTPResponse {
        guard ![.get, .head, .options].contains(request.method), !Self.exemptPrefixes.contains(where: request.path.hasPrefix),
            Self.isCrossSite(request, publicOrigin: publicOrigin)
        else { return try await next.handle(request) }
        return try views.problem("cross_site", in: VisitorLanguage.resolve(request).language, status: .forbidden)
    }

    static func isCrossSite(_ request: HTTPRequest, publicOrigin: String?) -> Bool {
        if request.headers["Sec-Fetch-Site"]?.lowercased() == "cross-site" { return true }
        guard let origin = request.headers["Origin"] else { return false }
        if let publicOrigin, origin.caseInsensitiveCompare(publicOrigin) == .orderedSame { return false }
        // Same origin when the Origin's host (and port) is the Host the request was sent to.
        guard let components = URLComponents(string: origin), let host = components.host, ["http", "https"].contains(components.scheme) else {
            return true
        }
        let authority = components.port.map { "\(host):\($0)" } ?? host
        return authority.lowercased() != request.headers["Host"]?.lowercased()
    }
}
