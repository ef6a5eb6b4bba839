/// A response: status, header fields and a body held in memory. The server adds `Date`,
/// `Content-Length`, `Connection` and the configured default headers (security headers) when it writes.
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// When set, the body is streamed from here and `body` is ignored.
    public var bodyStream: ResponseBodyStream?

    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// An HTML page in UTF-8.
    public static func html(_ html: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "text/html; charset=utf-8"], body: Array(html.utf8))
    }

    /// Plain text in UTF-8.
    public static func text(_ text: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Array(text.utf8))
    }

    /// JSON bytes already encoded, with a content type (`application/problem+json` for errors).
    public static func json(_ bytes: [UInt8], status: HTTPStatus = .ok, contentType: String = "application/json") -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": contentType], body: bytes)
    }

    /// A redirect; 303 by default, so that a POST is followed by a GET.
    public static func redirect(to location: String, status: HTTPStatus = .seeOther) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Location": location])
    }

    /// A plain-text answer for a status, used where nothing better is known (protocol errors).
    public static func status(_ status: HTTPStatus) -> HTTPResponse {
        status.allowsBody ? .text("\(status.code) \(status.reasonPhrase)\n", status: status) : HTTPResponse(status: status)
    }
}
