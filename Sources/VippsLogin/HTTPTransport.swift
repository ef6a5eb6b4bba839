import Dispatch
import Foundation
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP answer as the client needs it.
struct HTTPAnswer: Sendable {
    var status: Int
    var headers: [String: String]
    var body: Data

    func header(_ name: String) -> String? {
        headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// Sends requests through URLSession with the configured time limits, and turns transport failures
/// into `VippsLoginError`. Never retries: a token request may have used its single-use code.
///
/// Known cost, not ours to fix here: the toolchain's FoundationNetworking leaks about 80 bytes per
/// request (`CFURLSessionCurlHostIsEqual` releases its `CURLU` with `curl_free` rather than
/// `curl_url_cleanup`, so the parsed URL's parts stay allocated). heaptrack over 29,281 logins (87,842
/// requests) found nothing else left behind. That is about 250 bytes per login.
struct HTTPTransport: Sendable {
    private let session: URLSession
    private let totalTimeout: TimeInterval

    private let observe: (@Sendable (VippsCall) -> Void)?
    /// Set on every request (the `Vipps-System-*` headers), unless the request sets its own.
    private let headers: [String: String]

    init(
        connectTimeout: TimeInterval, totalTimeout: TimeInterval, headers: [String: String] = [:],
        observe: (@Sendable (VippsCall) -> Void)? = nil
    ) {
        self.observe = observe
        self.headers = headers
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = connectTimeout
        configuration.timeoutIntervalForResource = totalTimeout
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: configuration)
        self.totalTimeout = totalTimeout
    }

    func send(_ request: URLRequest) async throws(VippsLoginError) -> HTTPAnswer {
        var request = request
        for (name, value) in headers where request.value(forHTTPHeaderField: name) == nil { request.setValue(value, forHTTPHeaderField: name) }
        guard let observe else { return try await exchange(request) }
        let start = ContinuousClock.now
        do {
            let answer = try await exchange(request)
            observe(VippsCall(endpoint: VippsCall.endpoint(of: request.url), duration: ContinuousClock.now - start, status: answer.status))
            return answer
        } catch {
            observe(VippsCall(endpoint: VippsCall.endpoint(of: request.url), duration: ContinuousClock.now - start, status: nil))
            throw error
        }
    }

    private func exchange(_ request: URLRequest) async throws(VippsLoginError) -> HTTPAnswer {
        do {
            let (data, response) = try await dataWithDeadline(for: request)
            guard let http = response as? HTTPURLResponse else { throw VippsLoginError.badResponse("not an HTTP response") }
            var headers: [String: String] = [:]
            for (name, value) in http.allHeaderFields {
                if let name = name as? String, let value = value as? String { headers[name] = value }
            }
            return HTTPAnswer(status: http.statusCode, headers: headers, body: data)
        } catch let error as VippsLoginError {
            throw error
        } catch let error as URLError where error.code == .timedOut {
            throw .timeout
        } catch let error as URLError {
            // URLError's description can contain the URL, never credentials (they travel in headers and bodies).
            throw .transport("\(error.code.rawValue) \(error.localizedDescription)")
        } catch {
            throw .transport(String(describing: type(of: error)))
        }
    }

    /// The answer, or `URLError.timedOut` once `totalTimeout` has passed: corelibs' URLSession applies
    /// `timeoutIntervalForResource` loosely, and an answer that trickles in would otherwise hold the till
    /// for as long as Vipps likes. The task is cancelled when the deadline or the caller gives up.
    private func dataWithDeadline(for request: URLRequest) async throws -> (Data, URLResponse) {
        let outcome = Outcome()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(Data, URLResponse), any Error>) in
                let task = session.dataTask(with: request) { data, response, error in
                    if let data, let response, error == nil {
                        outcome.finish(.success((data, response)))
                    } else {
                        outcome.finish(.failure(error ?? URLError(.badServerResponse)))
                    }
                }
                outcome.start(continuation, task: task)
                DispatchQueue.global().asyncAfter(deadline: .now() + totalTimeout) {
                    outcome.finish(.failure(URLError(.timedOut)))
                }
                task.resume()
            }
        } onCancel: {
            outcome.finish(.failure(CancellationError()))
        }
    }
}

/// One request's race between its answer, its deadline and its caller's cancellation: the first to
/// finish resumes the caller and cancels the data task; the others find nothing left to do.
private final class Outcome: Sendable {
    private struct State {
        var continuation: CheckedContinuation<(Data, URLResponse), any Error>?
        var task: URLSessionDataTask?
        /// Set when a result came before the continuation was stored (cancelled at once).
        var early: Result<(Data, URLResponse), any Error>?
        var done = false
    }

    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<(Data, URLResponse), any Error>, task: URLSessionDataTask) {
        let early: Result<(Data, URLResponse), any Error>? = state.withLock { state in
            if let early = state.early { return early }
            state.continuation = continuation
            state.task = task
            return nil
        }
        if let early {
            task.cancel()
            continuation.resume(with: early)
        }
    }

    func finish(_ result: Result<(Data, URLResponse), any Error>) {
        let taken = state.withLock { state -> (CheckedContinuation<(Data, URLResponse), any Error>, URLSessionDataTask?)? in
            guard !state.done else { return nil }
            state.done = true
            guard let continuation = state.continuation else {
                state.early = result
                return nil
            }
            defer {
                state.continuation = nil
                state.task = nil
            }
            return (continuation, state.task)
        }
        guard let (continuation, task) = taken else { return }
        if case .failure = result { task?.cancel() }
        continuation.resume(with: result)
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
