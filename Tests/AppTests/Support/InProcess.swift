import HTTPServer

@testable import App

/// Hands requests to the app's router in-process, without a socket: for tests of one route's answers.
struct InProcess {
    let handler: any HTTPHandler

    init(_ app: VelkommenApp) throws { handler = try app.router() }

    func send(
        _ method: HTTPMethod, _ target: String, headers: HTTPHeaders = [:], body: String = "", from address: String = "127.0.0.1"
    ) async throws -> HTTPResponse {
        let parts = target.split(separator: "?", maxSplits: 1)
        var head = HTTPRequestHead(method: method, path: String(parts[0]), query: parts.count > 1 ? String(parts[1]) : "", headers: headers)
        if !body.isEmpty { head.headers.set("Content-Length", String(body.utf8.count)) }
        return try await handler.handle(HTTPRequest(head: head, body: Array(body.utf8), remoteAddress: address))
    }
}

extension HTTPResponse {
    /// The body, when it is not streamed.
    var text: String { String(decoding: body, as: UTF8.self) }
}
