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
}
