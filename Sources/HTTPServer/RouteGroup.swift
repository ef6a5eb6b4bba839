/// Who may use a route, as a middleware that runs before its handler (and may attach what it found).
/// Its `summary` is how the route table shows the rule: the table is the site's access map.
public protocol AccessRule: HTTPMiddleware {
    var summary: String { get }
}

/// Routes under one prefix that share an access rule: `router.group("/admin", RequireStaff(...)) { … }`.
public struct RouteGroup {
    struct Entry {
        var method: HTTPMethod
        var path: String
        var maxBodyBytes: Int?
        var handler: any HTTPHandler
    }

    let prefix: String
    var entries: [Entry] = []

    public mutating func on(_ method: HTTPMethod, _ path: String, maxBodyBytes: Int? = nil, use handler: any HTTPHandler) {
        entries.append(Entry(method: method, path: path, maxBodyBytes: maxBodyBytes, handler: handler))
    }

    public mutating func get(_ path: String, _ body: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse) {
        on(.get, path, use: ClosureHandler(body))
    }

    public mutating func post(_ path: String, maxBodyBytes: Int? = nil, _ body: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse) {
        on(.post, path, maxBodyBytes: maxBodyBytes, use: ClosureHandler(body))
    }
}

extension Router {
    /// Adds the routes `build` declares, each under `prefix` and behind `rule`.
    public mutating func group(_ prefix: String = "", _ rule: some AccessRule, _ build: (inout RouteGroup) throws -> Void) rethrows {
        var group = RouteGroup(prefix: prefix)
        try build(&group)
        for entry in group.entries {
            on(entry.method, prefix + entry.path, maxBodyBytes: entry.maxBodyBytes, use: entry.handler.wrapped(in: rule), access: rule.summary)
        }
    }
}
