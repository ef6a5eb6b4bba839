/// A response body produced piece by piece, for answers too large to hold in memory (exports). The
/// server pulls the next piece only when the previous one is with the kernel, so a slow client slows
/// the producer instead of filling memory. Sent with `Transfer-Encoding: chunked` to HTTP/1.1 clients,
/// and as a close-delimited body to HTTP/1.0 ones.
public struct ResponseBodyStream: Sendable {
    /// The next piece, or nil at the end. A thrown error ends the response by closing the connection.
    public let next: @Sendable () async throws -> [UInt8]?

    public init(next: @escaping @Sendable () async throws -> [UInt8]?) {
        self.next = next
    }
}

extension HTTPResponse {
    /// A streamed response: `stream` supplies the body.
    public static func streaming(status: HTTPStatus = .ok, headers: HTTPHeaders, _ stream: ResponseBodyStream) -> HTTPResponse {
        var response = HTTPResponse(status: status, headers: headers)
        response.bodyStream = stream
        return response
    }
}
