import Foundation
import Storage

/// What the operator does from the command line: POS API keys and staff. Every change is in the audit
/// log as done from the command line.
extension VelkommenApp {
    /// `velkommen secret rotate`: a new key for sealed cookies, picked up by every instance on the
    /// database within `SealKeyRefresh.interval`; returns when it becomes the one cookies are sealed with.
    public static func rotateSealKey(databasePath: String) async throws -> Date {
        try await SealKeyRefresh.rotate(ServerSecretStore(pool: openDatabase(databasePath)))
    }

    /// How long cookies sealed with a replaced key are still read, in seconds.
    public static var replacedSealKeyLifetime: Int { Int(Sealer.longestLifetime) }

    /// `velkommen apikey create`: a POS API key for `store`, returned once.
    public static func createApiKey(databasePath: String, store: String, label: String) async throws -> String {
        guard LoginStarter.isIdentifier(store) else {
            throw ConfigurationError("--store must be lower-case letters, digits and dashes, not \(store)")
        }
        return try await ApiKeys(store: ApiKeyStore(pool: openDatabase(databasePath))).create(storeID: store, label: label)
    }

    /// `velkommen apikey list`: one line per key (its public prefix, never the secret).
    public static func listApiKeys(databasePath: String) async throws -> [String] {
        try await ApiKeyStore(pool: openDatabase(databasePath)).all().map { entry in
            let state = entry.revokedAt.map { "revoked " + PosAPI.iso($0) } ?? "active"
            return "\(entry.key.prefix)  store \(entry.key.store)  \(state)  created \(PosAPI.iso(entry.createdAt))  \(entry.key.label)"
        }
    }

    /// `velkommen apikey revoke PREFIX` (or the whole key): refused from the next request on.
    public static func revokeApiKey(databasePath: String, key: String) async throws -> Bool {
        let parts = key.split(separator: "_")
        let prefix = parts.count >= 2 && parts[0] == "vk" ? String(parts[1]) : key
        return try await ApiKeyStore(pool: openDatabase(databasePath)).revoke(prefix: prefix, by: nil)
    }

    /// `velkommen staff add`: adds staff (or changes their role), recorded in the audit log.
    public static func addStaff(databasePath: String, phone: String, role: String) async throws -> String {
        guard let normalised = StaffPhone.normalise(phone) else {
            throw ConfigurationError("--phone must be a Norwegian mobile number such as 4712345678, not \(phone)")
        }
        guard let parsed = StaffMember.Role(rawValue: role) else {
            throw ConfigurationError("--role must be one of \(StaffMember.Role.allCases.map(\.rawValue).joined(separator: ", ")), not \(role)")
        }
        let store = StaffStore(pool: try openDatabase(databasePath))
        try await store.add(phone: normalised, role: parsed)
        try await store.audit(nil, action: "staff.add", detail: "\(normalised) as \(parsed.rawValue)")
        return normalised
    }

    /// `velkommen staff list`: phone, role, whether they have logged in with Vipps.
    public static func listStaff(databasePath: String) async throws -> [String] {
        try await StaffStore(pool: openDatabase(databasePath)).all().map { member in
            "\(member.phone)  \(member.role.rawValue)  \(member.sub == nil ? "not logged in yet" : "linked to Vipps")  \(member.name ?? "")"
        }
    }

    /// `velkommen staff remove --phone …`: they are signed out at once.
    public static func removeStaff(databasePath: String, phone: String) async throws -> Bool {
        guard let normalised = StaffPhone.normalise(phone) else {
            throw ConfigurationError("--phone must be a Norwegian mobile number such as 4712345678, not \(phone)")
        }
        return try await StaffStore(pool: openDatabase(databasePath)).remove(phone: normalised, by: nil)
    }
}

/// `velkommen webhooks add|list|remove`: the merchant's endpoints, for scripting.
extension VelkommenApp {
    /// Adds an endpoint; returns its id and its signing secret, shown this once.
    public static func addWebhook(
        databasePath: String, url: String, events: [String], allowPrivateTargets: Bool = false
    ) async throws -> (id: Int64, secret: String) {
        if let refusal = WebhookTargets.registrationRefusal(url, allowPrivate: allowPrivateTargets) {
            throw ConfigurationError("--url \(url) is refused: \(refusal.message)")
        }
        let unknown = events.filter { !MemberEvents.types.contains($0) }
        guard !events.isEmpty, unknown.isEmpty else {
            throw ConfigurationError("--events must be some of \(MemberEvents.types.joined(separator: ",")), not \(unknown.joined(separator: ","))")
        }
        let secret = WebhookSigner.newSecret()
        let store = WebhookStore(pool: try openDatabase(databasePath))
        let id = try await store.add(url: url, secret: secret, events: Set(events))
        try await StaffStore(pool: store.pool).audit(
            nil, action: "webhook.add", detail: "endpoint \(id): \(url) for \(events.joined(separator: ","))")
        return (id, secret)
    }

    public static func listWebhooks(databasePath: String) async throws -> [String] {
        try await WebhookStore(pool: openDatabase(databasePath)).endpoints().map { endpoint in
            "\(endpoint.id)  \(endpoint.url)  \(endpoint.events.sorted().joined(separator: ","))  "
                + (endpoint.failingSince.map { "failing since \(PosAPI.iso($0))" } ?? "ok")
        }
    }

    public static func removeWebhook(databasePath: String, id: Int64) async throws -> Bool {
        let store = WebhookStore(pool: try openDatabase(databasePath))
        guard try await store.remove(id: id) else { return false }
        try await StaffStore(pool: store.pool).audit(nil, action: "webhook.remove", detail: "endpoint \(id)")
        return true
    }
}
