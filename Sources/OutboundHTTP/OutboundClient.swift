import CCurl

/// Outbound HTTP for Velkommen (Vipps calls, webhooks) on libcurl: one multi handle and its own
/// thread per client, so many requests run at once and reuse connections; each request has a total
/// deadline, a cap on its answer, no redirects, and only the schemes it allows (docs/decisions.md).
/// Cancelling the calling task ends its request at once.
public final class OutboundClient: Sendable {
    private let engine: CurlEngine

    /// `curl_global_init`, once per process and before any handle (it is not thread-safe; a global's
    /// initializer runs once).
    static let curlReady: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK

    public init(maxCachedConnections: Int = 64) {
        guard let engine = CurlEngine(maxCachedConnections: maxCachedConnections) else {
            fatalError("libcurl could not start (curl_global_init or curl_multi_init failed, or no thread)")
        }
        self.engine = engine
    }

    deinit { engine.stop() }

    /// The answer, whatever its status; throws when none came within the request's limits.
    public func send(_ request: OutboundRequest) async throws(OutboundError) -> OutboundResponse {
        let transfer = try CurlTransfer(request)
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if transfer.begin(continuation) { engine.submit(transfer) }
            }
        } onCancel: {
            if transfer.cancel() { engine.cancel(transfer) }
        }
        return try outcome.get()
    }
}
