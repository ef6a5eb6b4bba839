import Content
import HTTPServer

/// The pages a failed landing shows, in the visitor's language, each saying what to do next.
struct CallbackPages: Sendable {
    let views: Views

    func problem(_ problem: CallbackProblem, for request: HTTPRequest, vippsError: String? = nil) throws -> HTTPResponse {
        let language = VisitorLanguage.resolve(request).language
        let status: HTTPStatus =
            switch problem {
            case .vippsUnavailable: .serviceUnavailable
            case .rateLimited: .tooManyRequests
            case .accessDenied: .ok
            default: .badRequest
            }
        var response = try views.problem("callback_" + problem.rawValue, in: language, status: status)
        // The address holds a login code or an error from Vipps: it must not travel on as a referrer.
        response.headers.set("Referrer-Policy", "no-referrer")
        return response
    }

    /// The 429 page with `Retry-After` when this client (IPv4 address or IPv6 /64) is over `limit`, or its
    /// IPv6 /48 over `site`; nil to go on.
    func refusal(_ limit: RateLimiter, site: RateLimiter? = nil, _ request: HTTPRequest) async throws -> HTTPResponse? {
        guard let wait = try await limit.take(client: request.clientAddress, site: site) else { return nil }
        var response = try problem(.rateLimited, for: request)
        response.headers.set("Retry-After", String(wait))
        return response
    }
}
