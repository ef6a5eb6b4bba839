import HTTPServer
import Storage

/// The access rules the route table declares. Each runs before the handlers it guards and attaches who
/// is asking; handlers read it from the request and never check again.

/// Anyone: pages for visitors, the callback, health, the Vipps webhook (its own limits apply).
struct Public: AccessRule {
    var summary: String { "public" }

    func handle(_ request: HTTPRequest, next: any HTTPHandler) async throws -> HTTPResponse { try await next.handle(request) }
}

/// Staff with one of `roles` (admins always): otherwise the login page, or 403 for the wrong role.
struct RequireStaff: AccessRule {
    enum SessionKey: RequestAttachmentKey { typealias Value = StaffSession }

    let roles: Set<StaffMember.Role>
    let access: StaffAccess

    var summary: String { "staff: " + (roles.isEmpty ? "any role" : roles.map(\.rawValue).sorted().joined(separator: ", ")) }

    func handle(_ request: HTTPRequest, next: any HTTPHandler) async throws -> HTTPResponse {
        var request = request
        request.attachments[SessionKey.self] = try await access.require(roles.isEmpty ? Set(StaffMember.Role.allCases) : roles, request)
        return try await next.handle(request)
    }
}

/// A signed-in member: otherwise off to log in.
struct RequireMember: AccessRule {
    enum MemberKey: RequestAttachmentKey { typealias Value = SignedIn }

    let visitors: Visitors

    var summary: String { "member" }

    func handle(_ request: HTTPRequest, next: any HTTPHandler) async throws -> HTTPResponse {
        guard let signedIn = try await visitors.signedIn(request) else { return .redirect(to: "/login") }
        var request = request
        request.attachments[MemberKey.self] = signedIn
        return try await next.handle(request)
    }
}

/// A POS system with a valid, unrevoked API key in `Authorization: Bearer`: otherwise a 401 problem.
struct RequireApiKey: AccessRule {
    enum KeyKey: RequestAttachmentKey { typealias Value = ApiKey }

    let keys: ApiKeys

    var summary: String { "POS API key" }

    func handle(_ request: HTTPRequest, next: any HTTPHandler) async throws -> HTTPResponse {
        guard let key = try await keys.authenticate(request) else { return Problem.unauthorized.response }
        var request = request
        request.attachments[KeyKey.self] = key
        return try await next.handle(request)
    }
}

/// A till: its key cookie, staff with the till role, or the simulator's demo. Otherwise the key page.
struct RequireTill: AccessRule {
    enum StoreKey: RequestAttachmentKey { typealias Value = String }

    let till: TillPage

    var summary: String { "till: key, staff (pos) or demo" }

    func handle(_ request: HTTPRequest, next: any HTTPHandler) async throws -> HTTPResponse {
        guard let store = try await till.store(request) else { return try await till.show(request) }
        var request = request
        request.attachments[StoreKey.self] = store
        return try await next.handle(request)
    }
}

extension HTTPRequest {
    /// The staff session `RequireStaff` checked. Only routes behind it call this.
    var staffSession: StaffSession {
        get throws {
            guard let session = attachments[RequireStaff.SessionKey.self] else { throw StaffAccess.Denied(response: .status(.forbidden)) }
            return session
        }
    }

    var signedIn: SignedIn {
        get throws {
            guard let signedIn = attachments[RequireMember.MemberKey.self] else { throw StaffAccess.Denied(response: .redirect(to: "/login")) }
            return signedIn
        }
    }

    var apiKey: ApiKey {
        get throws {
            guard let key = attachments[RequireApiKey.KeyKey.self] else { throw Problem.unauthorized }
            return key
        }
    }

    var tillStore: String {
        get throws {
            guard let store = attachments[RequireTill.StoreKey.self] else { throw StaffAccess.Denied(response: .status(.forbidden)) }
            return store
        }
    }
}
