import Content
import HTTPServer

/// The pages a failed landing shows, in the visitor's language, each saying what to do next.
struct CallbackPages: Sendable {
    let views: Views

    func problem(_ problem: CallbackProblem, for request: HTTPRequest, vippsError: String? = nil) throws -> HTTPResponse {
        let language = VisitorLanguage.resolve(request).language
        let status: HTTPStatus = switch problem {
        case .vippsUnavailable: .serviceUnavailable
        case .rateLimited: .tooManyRequests
        case .accessDenied: .ok
        default: .badRequest
        }
        var response = try views.cachedPage("pages/problem", key: "callback-" + problem.rawValue, generation: 0, in: language, status: status, values: [:]) {
            ["heading": views.text("callback_\(problem.rawValue)_heading", in: language),
             "message": views.text("callback_\(problem.rawValue)_message", in: language)]
        }
        // The address holds a login code or an error from Vipps: it must not travel on as a referrer.
        response.headers.set("Referrer-Policy", "no-referrer")
        return response
    }
}
