import Foundation
import OutboundHTTP

/// One HTTP answer as the client needs it.
struct HTTPAnswer: Sendable {
    var status: Int
    var headers: [String: String]
    var body: Data

    func header(_ name: String) -> String? {
        headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// Sends requests through OutboundHTTP (libcurl) with the configured time limits, and turns transport
/// failures into `VippsLoginError`. Never retries: a token request may have used its single-use code.
/// `totalTimeout` bounds the whole exchange (an answer that trickles in cannot hold the till), and an
/// answer larger than `maxAnswerBytes` is refused rather than buffered.
struct HTTPTransport: Sendable {
    private let client: OutboundClient
    private let connectTimeout: TimeInterval
    private let totalTimeout: TimeInterval
    /// Plain http only for an issuer on loopback (the simulator); Vipps itself is https.
    private let allowPlainHTTP: Bool
    static let maxAnswerBytes = 1 << 20

    private let observe: (@Sendable (VippsCall) -> Void)?
    /// Set on every request (the `Vipps-System-*` headers), unless the request sets its own.
    private let headers: [String: String]

    init(
        connectTimeout: TimeInterval, totalTimeout: TimeInterval, headers: [String: String] = [:], allowPlainHTTP: Bool = false,
        observe: (@Sendable (VippsCall) -> Void)? = nil
    ) {
        self.observe = observe
        self.headers = headers
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.allowPlainHTTP = allowPlainHTTP
        client = OutboundClient()
    }

    /// Whether `url` names this machine (the simulator, tests): the only place plain http is allowed.
    static func isLoopback(_ url: URL) -> Bool {
        guard let host = url.host?.lowercased() else { return false }
        return host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
    }

    func send(_ request: OutboundRequest) async throws(VippsLoginError) -> HTTPAnswer {
        var request = request
        for (name, value) in headers.sorted(by: { $0.key < $1.key })
        where !request.headers.contains(where: { $0.name.lowercased() == name.lowercased() }) { request.setHeader(name, value) }
        guard let observe else { return try await exchange(request) }
        let start = ContinuousClock.now
        let endpoint = VippsCall.endpoint(of: URL(string: request.url))
        do {
            let answer = try await exchange(request)
            observe(VippsCall(endpoint: endpoint, duration: ContinuousClock.now - start, status: answer.status))
            return answer
        } catch {
            observe(VippsCall(endpoint: endpoint, duration: ContinuousClock.now - start, status: nil))
            throw error
        }
    }

    private func exchange(_ request: OutboundRequest) async throws(VippsLoginError) -> HTTPAnswer {
        var request = request
        request.deadline = .milliseconds(Int64(totalTimeout * 1000))
        request.connectTimeout = .milliseconds(Int64(min(connectTimeout, totalTimeout) * 1000))
        request.maxBodyBytes = Self.maxAnswerBytes
        request.allowPlainHTTP = allowPlainHTTP
        do {
            let response = try await client.send(request)
            var headers: [String: String] = [:]
            for (name, value) in response.headers { headers[name] = value }
            return HTTPAnswer(status: response.status, headers: headers, body: Data(response.body))
        } catch .timedOut {
            throw .timeout
        } catch {
            // OutboundError's descriptions name no URL, header or body.
            throw .transport(error.description)
        }
    }
}

extension OutboundRequest {
    /// A GET with the given headers.
    init(get url: URL, headers: [String: String] = [:]) {
        self.init(url: url.absoluteString, headers: headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// A POST with no body yet; the caller sets the body and its type.
    init(post url: URL) {
        self.init(method: "POST", url: url.absoluteString)
    }
}

/// The OAuth error body: `error`, `error_description`, and Vipps' occasional `error_code`.
struct OAuthErrorBody: Decodable {
    var error: String?
    var errorDescription: String?
    var errorCode: String?

    enum CodingKeys: String, CodingKey {
        case error
        case errorDescription = "error_description"
        case errorCode = "error_code"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        error = try? container.decodeIfPresent(String.self, forKey: .error)
        errorDescription = try? container.decodeIfPresent(String.self, forKey: .errorDescription)
        // `error_code` is a string in CIBA errors and a number in the token endpoint's documented schema.
        errorCode =
            (try? container.decodeIfPresent(String.self, forKey: .errorCode))
            ?? (try? container.decodeIfPresent(Int.self, forKey: .errorCode)).flatMap { $0.map(String.init) }
    }
}

extension HTTPAnswer {
    /// The typed error for a non-2xx answer. Vipps' own codes may come as `error` or `error_code`
    /// (UNCONFIRMED which), so both are read.
    func error(pollInterval: TimeInterval = 5) -> VippsLoginError {
        if status == 429 {
            return .rateLimited(retryAfter: header("Retry-After").flatMap(TimeInterval.init))
        }
        let body = try? JSONDecoder().decode(OAuthErrorBody.self, from: self.body)
        let codes = [body?.errorCode, body?.error].compactMap { $0 }
        let description = body?.errorDescription.map { String($0.prefix(300)) }
        for code in codes {
            switch code {
            case "invalid_user", "unknown_user_id": return .invalidUser
            case "old_app", "outdated_app_version": return .oldApp
            case "authorization_pending": return .authorizationPending
            case "slow_down": return .slowDown(interval: pollInterval + 5)
            case "expired_token": return .expiredToken
            case "access_denied": return .accessDenied
            case "invalid_grant": return .invalidGrant
            case "invalid_client", "unauthorized_client": return .invalidClient
            case "invalid_binding_message": return .invalidBindingMessage
            case "invalid_request", "invalid_scope": return .invalidRequest(error: code, description: description)
            case "server_error", "temporarily_unavailable": return .serverError(status: status)
            default: continue
            }
        }
        if status == 401 { return .invalidClient }
        if status >= 500 { return .serverError(status: status) }
        if let code = codes.first { return .unexpectedError(status: status, error: code, description: description) }
        return .badResponse("HTTP \(status) without an error code")
    }
}
