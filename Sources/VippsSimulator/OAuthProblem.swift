import Foundation
import HTTPServer

/// JSON answers in Vipps' shapes: `{"error", "error_description"}` for OAuth and CIBA errors.
enum OAuthProblem {
    static func error(_ status: HTTPStatus, _ error: String, _ description: String, headers: [(String, String)] = []) -> HTTPResponse {
        var response = json(["error": error, "error_description": description], status: status)
        for (name, value) in headers { response.headers.set(name, value) }
        return response
    }

    static func json(_ object: Any, status: HTTPStatus = .ok) -> HTTPResponse {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return .json(Array(data), status: status, contentType: "application/json;charset=UTF-8")
    }

    static let invalidClient = error(
        HTTPStatus(code: 401), "invalid_client",
        "Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method).")
}
