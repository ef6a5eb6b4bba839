/// Routes requests by method and path to handlers. Paths are literal segments, `{name}` parameters
/// (one segment, percent-decoded) and a final `*` that takes the rest of the path still encoded.
/// Unknown paths go to `notFound`; known paths with another method get 405 with `Allow`.
public struct Router: HTTPHandler {
    /// What a route leads to.
    struct Endpoint: Sendable {
        var handler: any HTTPHandler
        var maxBodyBytes: Int?
        /// The path as registered (`/offers/{slug}`): what metrics label a request with.
        var pattern: String
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
        case rest
    }

    struct PatternRoute: Sendable {
        var segments: [Segment]
        var endpoints: [HTTPMethod: Endpoint]
    }

    enum Match {
        case found(Endpoint, parameters: [String: String])
        case methodNotAllowed(allowed: [HTTPMethod])
        case notFound
    }

    /// The name under which a trailing `*` stores the rest of the path.
    public static let restParameter = "*"

    private var exact: [String: [HTTPMethod: Endpoint]] = [:]
    private var patterns: [PatternRoute] = []

    /// Answers paths that no route has; a plain 404 unless replaced (the app shows a page in the
    /// visitor's language).
    public var notFound: any HTTPHandler = ClosureHandler { _ in .status(.notFound) }

    /// Answers a known path asked with another method; the router adds `Allow`.
    public var methodNotAllowed: any HTTPHandler = ClosureHandler { _ in .status(.methodNotAllowed) }

    public init() {}

    /// One row of the route table: what answers, and under which access rule (nil: none declared).
    public struct Route: Sendable, Equatable {
        public var method: HTTPMethod
        public var path: String
        public var access: String?
    }

    /// Every route, in the order added: the site's map, for people and for the access sweep test.
    public private(set) var routes: [Route] = []

    /// Adds a route. `maxBodyBytes` overrides the server's body limit for it; `access` names the rule
    /// that guards it (groups fill it in).
    public mutating func on(_ method: HTTPMethod, _ path: String, maxBodyBytes: Int? = nil, use handler: any HTTPHandler, access: String? = nil) {
        routes.append(Route(method: method, path: path, access: access))
        let endpoint = Endpoint(handler: handler, maxBodyBytes: maxBodyBytes, pattern: path)
        let segments = Self.segments(of: path)
        if segments.allSatisfy({ if case .literal = $0 { true } else { false } }) {
            exact[path, default: [:]][method] = endpoint
        } else if let index = patterns.firstIndex(where: { $0.segments == segments }) {
            patterns[index].endpoints[method] = endpoint
        } else {
            patterns.append(PatternRoute(segments: segments, endpoints: [method: endpoint]))
        }
    }

    public mutating func get(_ path: String, _ body: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse) {
        on(.get, path, use: ClosureHandler(body))
    }

    public mutating func post(_ path: String, maxBodyBytes: Int? = nil, _ body: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse) {
        on(.post, path, maxBodyBytes: maxBodyBytes, use: ClosureHandler(body))
    }

    public func handle(_ request: HTTPRequest) async throws -> HTTPResponse {
        switch match(request.head) {
        case .found(let endpoint, let parameters):
            var request = request
            request.pathParameters = parameters
            return try await endpoint.handler.handle(request)
        case .methodNotAllowed(let allowed):
            var response = try await methodNotAllowed.handle(request)
            response.status = .methodNotAllowed
            response.headers.set("Allow", allowed.map(\.rawValue).joined(separator: ", "))
            return response
        case .notFound:
            return try await notFound.handle(request)
        }
    }

    /// The registered pattern of the route that answers `head` (`/offers/{slug}`), or nil when none does.
    public func routePattern(for head: HTTPRequestHead) -> String? {
        if case .found(let endpoint, _) = match(head) { return endpoint.pattern }
        return nil
    }

    public func maxBodyBytes(for head: HTTPRequestHead) -> Int? {
        if case .found(let endpoint, _) = match(head) { return endpoint.maxBodyBytes }
        return nil
    }

    func match(_ head: HTTPRequestHead) -> Match {
        var allowed: Set<HTTPMethod> = []
        if let endpoints = exact[head.path] {
            if let endpoint = Self.endpoint(in: endpoints, for: head.method) { return .found(endpoint, parameters: [:]) }
            allowed.formUnion(endpoints.keys)
        }
        if !patterns.isEmpty {
            let pathSegments = head.path.utf8.split(separator: .slash, omittingEmptySubsequences: false).dropFirst()
            for route in patterns {
                guard let parameters = Self.bind(route.segments, to: pathSegments) else { continue }
                if let endpoint = Self.endpoint(in: route.endpoints, for: head.method) {
                    return .found(endpoint, parameters: parameters)
                }
                allowed.formUnion(route.endpoints.keys)
            }
        }
        guard !allowed.isEmpty else { return .notFound }
        if allowed.contains(.get) { allowed.insert(.head) }
        return .methodNotAllowed(allowed: allowed.sorted { $0.rawValue < $1.rawValue })
    }

    /// HEAD falls back to GET; the server drops the body.
    private static func endpoint(in endpoints: [HTTPMethod: Endpoint], for method: HTTPMethod) -> Endpoint? {
        endpoints[method] ?? (method == .head ? endpoints[.get] : nil)
    }

    private static func bind(_ pattern: [Segment], to path: ArraySlice<Substring.UTF8View.SubSequence>) -> [String: String]? {
        var parameters: [String: String] = [:]
        var index = path.startIndex
        for segment in pattern {
            if case .rest = segment {
                let rest = path[index...].map { String(decoding: $0, as: UTF8.self) }.joined(separator: "/")
                parameters[restParameter] = rest
                return parameters
            }
            guard index < path.endIndex else { return nil }
            let raw = path[index]
            index += 1
            switch segment {
            case .literal(let literal):
                guard PercentDecoding.decodeString(raw, plusAsSpace: false) == literal else { return nil }
            case .parameter(let name):
                guard !raw.isEmpty else { return nil }
                parameters[name] = PercentDecoding.decodeString(raw, plusAsSpace: false)
            case .rest:
                break
            }
        }
        return index == path.endIndex ? parameters : nil
    }

    static func segments(of path: String) -> [Segment] {
        path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { part in
            if part == "*" { return .rest }
            if part.hasPrefix("{") && part.hasSuffix("}") { return .parameter(String(part.dropFirst().dropLast())) }
            return .literal(String(part))
        }
    }
}
