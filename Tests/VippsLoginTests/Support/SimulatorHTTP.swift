import Foundation
import TestSupport

/// Raw HTTP against the simulator, for what a browser or a phone does (forms, redirects).
struct SimulatorHTTP {
    let port: Int

    init(baseURL: String) { port = Int(baseURL.split(separator: ":").last!)! }

    func get(_ path: String, headers: String = "") async throws -> RawClient.Response {
        let client = try RawClient(port: port)
        client.send("GET \(path) HTTP/1.1\r\nHost: sim\r\n\(headers)Connection: close\r\n\r\n")
        return try await client.readResponse()
    }

    func post(_ path: String, form: String, headers: String = "") async throws -> RawClient.Response {
        let client = try RawClient(port: port)
        client.send(
            "POST \(path) HTTP/1.1\r\nHost: sim\r\nContent-Type: application/x-www-form-urlencoded\r\n\(headers)Content-Length: \(form.utf8.count)\r\nConnection: close\r\n\r\n\(form)"
        )
        return try await client.readResponse()
    }

    func json(_ response: RawClient.Response) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
    }

    /// The value of a hidden input named `name` in an HTML page.
    static func hidden(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }
}
