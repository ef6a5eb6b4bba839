import Foundation
import HTTPServer

/// Checks a request's client credentials the way Vipps does: the client must exist, the secret must
/// match, and it must use the method configured for it (Basic header or `client_id`/`client_secret`
/// in the body). Every failure is the same 401 `invalid_client`, as OAuth asks.
struct ClientAuthenticator: Sendable {
    let configuration: SimulatorConfiguration

    func authenticate(_ request: HTTPRequest, form: URLEncodedForm) -> SimulatorConfiguration.Client? {
        let basic = Self.basicCredentials(request.headers["Authorization"])
        let posted = form["client_id"].map { ($0, form["client_secret"] ?? "") }
        guard basic == nil || posted == nil, let (id, secret) = basic ?? posted, let client = configuration.client(id),
            client.secret == secret
        else { return nil }
        let method = basic != nil ? "client_secret_basic" : "client_secret_post"
        return client.authMethod == method ? client : nil
    }

    /// `Authorization: Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1).
    static func basicCredentials(_ header: String?) -> (String, String)? {
        guard let header, header.lowercased().hasPrefix("basic "),
            let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return nil }
        let id = String(text[..<colon]).removingPercentEncoding ?? String(text[..<colon])
        let secret = String(text[text.index(after: colon)...]).removingPercentEncoding ?? String(text[text.index(after: colon)...])
        return (id, secret)
    }
}
