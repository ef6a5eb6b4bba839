import Content
import HTTPServer
import Logging
import Storage

/// Every error a visitor can meet, as a page in their language with the right status: unknown pages,
/// wrong methods, bad input, and failures of our own (which are logged, without personal data, and
/// shown as a polite 500 that promises nothing saved was lost, which holds because writes are
/// acknowledged only after their commit).
struct ErrorPages: Sendable {
    let views: Views
    let logger: Logger

    func page(_ status: HTTPStatus, for request: HTTPRequest) throws -> HTTPResponse {
        try page(status, in: VisitorLanguage.resolve(request).language)
    }

    func page(_ status: HTTPStatus, in language: Language) throws -> HTTPResponse {
        let key =
            switch status.code {
            case 404: "not_found"
            case 405: "method_not_allowed"
            case 413: "too_large"
            case 400..<500: "bad_request"
            case 503: "unavailable"
            default: "server_error"
            }
        return try views.problem(key, in: language, status: status)
    }

    /// A request the server refused before any handler saw it (too large, malformed, too slow): a page
    /// in the visitor's language, or a JSON problem under `/api/`, instead of a bare status line.
    func refusal(_ status: HTTPStatus, head: HTTPRequestHead?) -> HTTPResponse? {
        if let head, head.path.hasPrefix("/api/") {
            return status == .contentTooLarge
                ? Problem(status, "too-large", "The body is larger than this endpoint takes").response
                : Problem(status, "bad-request", "The request could not be read").response
        }
        let language = head.map { VisitorLanguage.resolve(HTTPRequest(head: $0)).language } ?? .nb
        // An image past the upload limit is the one refusal with a known cause worth naming.
        if status == .contentTooLarge, head?.path == MediaUploads.path {
            return try? views.problem("too_large_image", in: language, status: status)
        }
        return try? page(status, in: language)
    }

    /// Catches what a handler throws and answers with a page instead of a bare 500.
    struct Middleware: HTTPMiddleware {
        let pages: ErrorPages

        func handle(_ request: HTTPRequest, next: any HTTPHandler) async throws -> HTTPResponse {
            do {
                return try await next.handle(request)
            } catch let error as any HTTPResponseConvertible {
                return error.response
            } catch let error as DatabaseUnavailable {
                // Busy past the timeout, full, read-only or failing disk: the write did not happen (its
                // transaction rolled back), and trying again later is the right advice.
                pages.logger.error(
                    "\(request.method.rawValue) \(AccessLogger.shownPath(request.path)): database unavailable (\(error.underlying.code))")
                if request.path.hasPrefix("/api/") {
                    var problem = Problem(
                        .serviceUnavailable, "database-unavailable", "Storage is unavailable; nothing was saved", detail: "Try again shortly.")
                    problem.retryAfter = 30
                    return problem.response
                }
                var response = try pages.page(.serviceUnavailable, for: request)
                response.headers.set("Retry-After", "30")
                return response
            } catch let error as UnknownStoredValue {
                // A newer instance wrote a value this one does not know: this instance must not guess,
                // and another (newer) one behind the same balancer can answer; named for the operator.
                pages.logger.error("\(request.method.rawValue) \(AccessLogger.shownPath(request.path)): \(error)")
                if request.path.hasPrefix("/api/") {
                    var problem = Problem(
                        .serviceUnavailable, "unknown-stored-value", "This instance is older than the data it read",
                        detail: "Try again shortly; the operator is told.")
                    problem.retryAfter = 30
                    return problem.response
                }
                var response = try pages.page(.serviceUnavailable, for: request)
                response.headers.set("Retry-After", "30")
                return response
            } catch {
                // The path only: queries may carry login codes.
                pages.logger.error(
                    "\(request.method.rawValue) \(AccessLogger.shownPath(request.path)) failed: \(String(reflecting: type(of: error)))")
                return try pages.page(.internalServerError, for: request)
            }
        }
    }
}
