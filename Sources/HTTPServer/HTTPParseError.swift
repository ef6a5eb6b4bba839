/// Why a request could not be read. Each case maps to the status the client gets; after any of them the
/// connection is closed, because the framing of what follows can no longer be trusted.
public enum HTTPParseError: Error, Equatable, Sendable {
    case malformedRequestLine
    case unsupportedVersion
    case uriTooLong
    case headerSectionTooLarge
    case invalidHeader
    /// A header line that starts with white space (obsolete line folding, RFC 9112 §5.2).
    case obsoleteLineFolding
    case missingHost
    case multipleHosts
    case invalidContentLength
    /// Two Content-Length values that differ: a classic request-smuggling vector.
    case conflictingContentLength
    /// Content-Length together with Transfer-Encoding (RFC 9112 §6.1): another smuggling vector.
    case contentLengthWithTransferEncoding
    case unsupportedTransferEncoding
    case invalidChunk
    case bodyTooLarge
    case unsupportedExpectation

    /// The status the client is answered with.
    public var status: HTTPStatus {
        switch self {
        case .unsupportedVersion: .httpVersionNotSupported
        case .uriTooLong: .uriTooLong
        case .headerSectionTooLarge: .requestHeaderFieldsTooLarge
        case .bodyTooLarge: .contentTooLarge
        case .unsupportedTransferEncoding: .notImplemented
        case .unsupportedExpectation: .expectationFailed
        default: .badRequest
        }
    }
}
