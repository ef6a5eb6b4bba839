/// Answers requests. The one protocol at the seam between the server and everything above it.
public protocol HTTPHandler: Sendable {
    /// Answers one request. A thrown error becomes a response through `HTTPResponseConvertible`,
    /// or a 500 when the error is not one.
    func handle(_ request: HTTPRequest) async throws -> HTTPResponse

    /// The largest body this handler accepts for a request with `head`; larger ones get 413
    /// before their body is read. Nil means the server's default.
    func maxBodyBytes(for head: HTTPRequestHead) -> Int?
}

extension HTTPHandler {
    public func maxBodyBytes(for head: HTTPRequestHead) -> Int? { nil }
}

/// An error that knows the response it stands for (a typed error page, a problem document).
public protocol HTTPResponseConvertible: Error {
    var response: HTTPResponse { get }
}

/// A handler made of a closure.
public struct ClosureHandler: HTTPHandler {
    private let body: @Sendable (HTTPRequest) async throws -> HTTPResponse

    public init(_ body: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse) {
        self.body = body
    }

    public func handle(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await body(request)
    }
}

/// Wraps a handler: runs code around every request (headers, logging, error pages).
public protocol HTTPMiddleware: Sendable {
    func handle(_ request: HTTPRequest, next: any HTTPHandler) async throws -> HTTPResponse
}

extension HTTPHandler {
    /// This handler with `middleware` around it.
    public func wrapped(in middleware: some HTTPMiddleware) -> any HTTPHandler {
        MiddlewareHandler(middleware: middleware, next: self)
    }
}

private struct MiddlewareHandler<M: HTTPMiddleware>: HTTPHandler {
    let middleware: M
    let next: any HTTPHandler

    func handle(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await middleware.handle(request, next: next)
    }

    func maxBodyBytes(for head: HTTPRequestHead) -> Int? { next.maxBodyBytes(for: head) }
}
