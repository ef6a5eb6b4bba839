import CCurl
import Synchronization

/// One request on its curl easy handle: the options it was given, the answer as it arrives (on the
/// engine's thread only), and the caller waiting for it. The first of answer, error and cancellation
/// resumes the caller; the others find nothing left to do.
final class CurlTransfer: @unchecked Sendable {
    typealias Outcome = Result<OutboundResponse, OutboundError>

    let easy: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var connectTo: UnsafeMutablePointer<curl_slist>?
    private let maxBodyBytes: Int
    /// Headers get their own cap: an answer could otherwise stream header lines without end.
    private static let maxHeaderBytes = 64 * 1024

    // The engine thread's: filled by the callbacks while the transfer runs.
    private var body: [UInt8] = []
    private var headers: [(name: String, value: String)] = []
    private var headerBytes = 0
    private var overLimit = false

    private struct Waiting {
        var continuation: CheckedContinuation<Outcome, Never>?
        var cancelled = false
        var finished = false
    }
    private let waiting = Mutex(Waiting())

    init(_ request: OutboundRequest) throws(OutboundError) {
        guard OutboundClient.curlReady, let easy = curl_easy_init() else { throw .failed(code: -1, reason: "libcurl did not start") }
        self.easy = easy
        maxBodyBytes = max(0, request.maxBodyBytes)
        try configure(request)
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        curl_slist_free_all(connectTo)
    }

    private func configure(_ request: OutboundRequest) throws(OutboundError) {
        guard !request.url.utf8.contains(0), request.headers.allSatisfy({ Self.isSafeHeader($0.name, $0.value) }) else { throw .refusedURL }
        let protocols = request.allowPlainHTTP ? "http,https" : "https"
        var codes: [CURLcode] = [
            ccurl_setopt_pointer(easy, CURLOPT_URL, request.url),
            ccurl_setopt_pointer(easy, CURLOPT_PROTOCOLS_STR, protocols),
            ccurl_setopt_pointer(easy, CURLOPT_REDIR_PROTOCOLS_STR, protocols),
            ccurl_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0),
            // No signals from curl's resolver timeouts: they would hit whichever thread of ours runs.
            ccurl_setopt_long(easy, CURLOPT_NOSIGNAL, 1),
            ccurl_setopt_long(easy, CURLOPT_TIMEOUT_MS, Self.milliseconds(request.deadline)),
            ccurl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout)),
            ccurl_setopt_offset(easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(maxBodyBytes)),
            ccurl_setopt_write(easy, CURLOPT_WRITEFUNCTION, curlWrite),
            ccurl_setopt_pointer(easy, CURLOPT_WRITEDATA, Unmanaged.passUnretained(self).toOpaque()),
            ccurl_setopt_write(easy, CURLOPT_HEADERFUNCTION, curlHeader),
            ccurl_setopt_pointer(easy, CURLOPT_HEADERDATA, Unmanaged.passUnretained(self).toOpaque()),
        ]
        switch request.method {
        case "GET": codes.append(ccurl_setopt_long(easy, CURLOPT_HTTPGET, 1))
        case "HEAD": codes.append(ccurl_setopt_long(easy, CURLOPT_NOBODY, 1))
        default:
            if request.method != "POST" { codes.append(ccurl_setopt_pointer(easy, CURLOPT_CUSTOMREQUEST, request.method)) }
            codes.append(ccurl_setopt_long(easy, CURLOPT_POST, 1))
            // The size first: COPYPOSTFIELDS copies that many bytes (a body may hold NULs).
            codes.append(ccurl_setopt_offset(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)))
            codes.append(
                request.body.withUnsafeBytes { ccurl_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)) }
            )
        }
        // "Expect:" empty: no 100-continue round trip before the body.
        for line in request.headers.map({ "\($0.name): \($0.value)" }) + ["Expect:"] {
            headerList = curl_slist_append(headerList, line)
        }
        codes.append(ccurl_setopt_pointer(easy, CURLOPT_HTTPHEADER, headerList))
        if let address = request.pinnedAddress {
            // Any host, any port (the URL's) to exactly this address: curl resolves nothing itself.
            connectTo = curl_slist_append(connectTo, "::" + (address.contains(":") ? "[\(address)]" : address) + ":")
            codes.append(ccurl_setopt_pointer(easy, CURLOPT_CONNECT_TO, connectTo))
            codes.append(ccurl_setopt_pointer(easy, CURLOPT_PROXY, ""))
        }
        guard codes.allSatisfy({ $0 == CURLE_OK }) else { throw .refusedURL }
    }

    /// CR, LF and NUL would let a value start another header.
    private static func isSafeHeader(_ name: String, _ value: String) -> Bool {
        !name.isEmpty && !(name + value).utf8.contains { $0 == 13 || $0 == 10 || $0 == 0 } && !name.contains(":")
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }

    // MARK: Callbacks (engine thread)

    fileprivate func received(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard body.count + bytes.count <= maxBodyBytes else {
            overLimit = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    fileprivate func receivedHeader(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        headerBytes += bytes.count
        guard headerBytes <= Self.maxHeaderBytes else {
            overLimit = true
            return false
        }
        let line = String(decoding: bytes, as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            headers = []  // a new answer (after a 1xx)
        } else if let colon = line.firstIndex(of: ":") {
            let value = line[line.index(after: colon)...].trimmed(of: " \t\r\n")
            headers.append((String(line[..<colon]), value))
        }
        return true
    }

    // MARK: The caller

    /// Stores the caller; false when it was cancelled already (and has been answered).
    func begin(_ continuation: CheckedContinuation<Outcome, Never>) -> Bool {
        let started = waiting.withLock { waiting in
            if waiting.cancelled { return false }
            waiting.continuation = continuation
            return true
        }
        if !started { continuation.resume(returning: .failure(.cancelled)) }
        return started
    }

    var isCancelled: Bool { waiting.withLock { $0.cancelled } }

    /// Answers the caller with `.cancelled`; true when the transfer had been handed to the engine.
    func cancel() -> Bool {
        let continuation = waiting.withLock { waiting in
            waiting.cancelled = true
            defer { waiting.continuation = nil }
            return waiting.continuation
        }
        continuation?.resume(returning: .failure(.cancelled))
        return continuation != nil
    }

    /// The transfer ended with `code` (engine thread, after the handle left the multi handle).
    func complete(_ code: CURLcode) {
        let outcome: Outcome
        if code == CURLE_OK {
            var status = 0
            _ = ccurl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
            outcome = .success(OutboundResponse(status: status, headers: headers, body: body))
        } else {
            outcome = .failure(Self.error(code, overLimit: overLimit))
        }
        body = []
        finish(outcome)
    }

    func finish(_ outcome: Outcome) {
        let continuation = waiting.withLock { waiting in
            defer { waiting.continuation = nil }
            return waiting.continuation
        }
        continuation?.resume(returning: outcome)
    }

    static func error(_ code: CURLcode, overLimit: Bool) -> OutboundError {
        switch code {
        case CURLE_OPERATION_TIMEDOUT: .timedOut
        case CURLE_FILESIZE_EXCEEDED: .answerTooLarge
        case CURLE_WRITE_ERROR where overLimit: .answerTooLarge
        case CURLE_COULDNT_CONNECT: .couldNotConnect
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT: .refusedURL
        default: .failed(code: Int(code.rawValue), reason: String(cString: curl_easy_strerror(code)))
        }
    }
}

private let curlWrite: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = { data, size, count, user in
    guard let user else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
    let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(data)?.assumingMemoryBound(to: UInt8.self), count: size * count)
    return transfer.received(bytes) ? size * count : 0
}

private let curlHeader: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = { data, size, count, user in
    guard let user else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
    let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(data)?.assumingMemoryBound(to: UInt8.self), count: size * count)
    return transfer.receivedHeader(bytes) ? size * count : 0
}

extension StringProtocol {
    fileprivate func trimmed(of set: String) -> String {
        let scalars = Set(set.unicodeScalars)
        let view = unicodeScalars
        var start = view.startIndex
        var end = view.endIndex
        while start < end, scalars.contains(view[start]) { start = view.index(after: start) }
        while end > start, scalars.contains(view[view.index(before: end)]) { end = view.index(before: end) }
        return String(String.UnicodeScalarView(view[start..<end]))
    }
}
