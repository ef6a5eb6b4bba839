import Foundation
import HTTPServer

/// An `application/problem+json` answer (RFC 9457) with a stable `type`, for the POS API.
struct Problem: Error, HTTPResponseConvertible {
    let status: HTTPStatus
    /// The last part of the type URI: `invalid-phone`, `vipps-invalid-user`, …
    let type: String
    let title: String
    let detail: String?
    var retryAfter: Int?
    /// For a code redeemed elsewhere: when, and the store.
    var redeemedAt: String?
    var store: String?

    init(_ status: HTTPStatus, _ type: String, _ title: String, detail: String? = nil, retryAfter: Int? = nil) {
        self.status = status
        self.type = type
        self.title = title
        self.detail = detail
        self.retryAfter = retryAfter
    }

    var response: HTTPResponse {
        let body = PosAPIBody.ProblemDetails(
            type: "https://velkommen.example/problems/\(type)", title: title, status: status.code, detail: detail, redeemedAt: redeemedAt,
            store: store)
        var response = HTTPResponse.json(PosAPIBody.encode(body), status: status, contentType: "application/problem+json")
        if let retryAfter { response.headers.set("Retry-After", String(retryAfter)) }
        return response
    }

    static let unauthorized = Problem(
        .unauthorized, "unauthorized", "An API key is required",
        detail: "Send Authorization: Bearer <api key> (create one with velkommen apikey create).")
    static let notFound = Problem(.notFound, "not-found", "No such login")
}
