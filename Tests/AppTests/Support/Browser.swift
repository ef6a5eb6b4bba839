import Foundation
import TestSupport

/// A browser for tests: real sockets, a cookie jar, and forms posted as a browser would.
final class Browser: @unchecked Sendable {
    let port: Int
    private(set) var cookies: [String: String] = [:]
    var acceptLanguage = "nb"
    /// Sent with every request, as a browser sends `Origin` or `Sec-Fetch-Site`.
    var extraHeaders: [String: String] = [:]
    /// Kept by helpers that end in a response the test may want to look at.
    var lastResponse: RawClient.Response?

    init(port: Int) { self.port = port }

    func setCookie(_ name: String, _ value: String) { cookies[name] = value }

    @discardableResult
    func get(_ path: String) async throws -> RawClient.Response {
        try await send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(headers())Connection: close\r\n\r\n")
    }

    @discardableResult
    func post(_ path: String, form: [(String, String)]) async throws -> RawClient.Response {
        let body = form.map { Self.encode($0.0) + "=" + Self.encode($0.1) }.joined(separator: "&")
        return try await send(
            "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(headers())Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        )
    }

    /// A multipart form, as a browser sends a file upload: `fields`, then one file.
    func postMultipart(
        _ path: String, fields: [(String, String)], file: (name: String, filename: String, type: String, bytes: [UInt8])
    ) async throws
        -> RawClient.Response
    {
        let boundary = "----velkommen-test-boundary"
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Array(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"\(file.filename)\"\r\nContent-Type: \(file.type)\r\n\r\n"
                .utf8)
        body += file.bytes + Array("\r\n--\(boundary)--\r\n".utf8)
        let head =
            "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(headers())Content-Type: multipart/form-data; boundary=\(boundary)\r\n"
            + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        return try await send(Array(head.utf8) + body)
    }

    func postJSON(_ path: String, json: String, bearer: String?) async throws -> RawClient.Response {
        let auth = bearer.map { "Authorization: Bearer \($0)\r\n" } ?? ""
        return try await send(
            "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(auth)Content-Type: application/json\r\nContent-Length: \(json.utf8.count)\r\nConnection: close\r\n\r\n\(json)"
        )
    }

    func getJSON(_ path: String, bearer: String) async throws -> RawClient.Response {
        try await send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(bearer)\r\nConnection: close\r\n\r\n")
    }

    private func headers() -> String {
        let cookie = cookies.isEmpty ? "" : "Cookie: " + cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") + "\r\n"
        return cookie + "Accept-Language: \(acceptLanguage)\r\n"
            + extraHeaders.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)\r\n" }.joined()
    }

    private func send(_ text: String) async throws -> RawClient.Response {
        try await send(Array(text.utf8))
    }

    private func send(_ bytes: [UInt8]) async throws -> RawClient.Response {
        let client = try RawClient(port: port, timeout: 15)
        client.send(bytes)
        let response = try await client.readResponse()
        for header in response.headers where header.name.lowercased() == "set-cookie" {
            let pair = header.value.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { continue }
            let name = String(pair[0])
            if pair[1].isEmpty || header.value.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = String(pair[1]) }
        }
        return response
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(
            withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? text
    }

    /// A hidden input's value in a page.
    static func hidden(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    func json(_ response: RawClient.Response) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
    }
}
