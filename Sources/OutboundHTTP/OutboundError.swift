/// Why no answer came. The descriptions name no URL, header or body: they may reach a log line.
public enum OutboundError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request's deadline passed (a slow or trickling answer, or no connection in time).
    case timedOut
    /// The answer's body (or its headers) grew past the request's cap.
    case answerTooLarge
    /// Nothing listens, or the connection was refused or reset.
    case couldNotConnect
    /// The URL's scheme is not allowed for this request, or the URL is not valid.
    case refusedURL
    /// The caller was cancelled (or the client shut down).
    case cancelled
    /// Any other transport failure: curl's code and its generic text.
    case failed(code: Int, reason: String)

    public var description: String {
        switch self {
        case .timedOut: "no complete answer before the deadline"
        case .answerTooLarge: "the answer is larger than allowed"
        case .couldNotConnect: "could not connect"
        case .refusedURL: "the URL is not allowed"
        case .cancelled: "cancelled"
        case .failed(let code, let reason): "transport error \(code) (\(reason))"
        }
    }
}
