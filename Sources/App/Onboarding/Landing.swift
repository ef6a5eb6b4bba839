import Foundation
import Storage
import VippsLogin

/// Records a verified login in one transaction: the member (by `sub`, profile refreshed), the login
/// request confirmed, the consent receipt appended, the funnel event. Acknowledged only once committed.
struct Landing: Sendable {
    let pool: any DatabasePool
    let ledger: ConsentLedger
    let cache: SignedInCache
    let metrics: AppMetrics

    /// Returns the consents this login changed from what the member had given before.
    @discardableResult
    func record(_ info: UserInfo, request: LoginRequest?, source: String, at time: Date) async throws -> [String: Bool] {
        let profile = MemberProfile(sub: info.sub, name: info.name, givenName: info.givenName, familyName: info.familyName,
                                    email: info.email, emailVerified: info.emailVerified, phoneNumber: info.phoneNumber,
                                    birthdate: info.birthdate, addressJSON: Self.addressJSON(info.address))
        let consentsPayload = info.delegatedConsentsJSON
        let consents = Dictionary((info.delegatedConsents?.consents ?? []).map { ($0.id, $0.accepted) }, uniquingKeysWith: { _, last in last })
        let ledger = ledger
        let changed = try await pool.write { database -> [String: Bool] in
            var changed: [String: Bool] = [:]
            let member = try MemberStore.recordLogin(profile, store: request?.store, at: time, in: database)
            if let request, let authReqID = request.authReqID {
                let mismatch = info.phoneNumber.map { $0 != request.phoneHint } ?? false
                try LoginRequestStore.confirm(authReqID: authReqID, sub: info.sub, phoneMismatch: mismatch, at: time, in: database)
            }
            if let consentsPayload {
                changed = try ledger.append(sub: info.sub, source: source, payload: consentsPayload, consents: consents,
                                            loginRequestID: request?.id, at: time, in: database)
            }
            try FunnelEvents.record("confirmed", store: request?.store, loginRequestID: request?.id, sub: info.sub, at: time, in: database)
            // The merchant's systems hear of it in the same transaction (the outbox), or not at all.
            let current = try MemberEvents.consents(sub: info.sub, in: database)
            try MemberEvents.enqueue(member.loginCount == 1 ? "member.joined" : "member.updated", member: member, consents: current, at: time, in: database)
            if !changed.isEmpty, member.loginCount > 1 {
                try MemberEvents.enqueue("member.consents_changed", member: member, consents: current, at: time, in: database)
            }
            return changed
        }
        // The member's other sessions show the refreshed profile and consents at once.
        cache.forget(sub: info.sub)
        metrics.login("confirmed")
        return changed
    }

    /// The address as JSON, or nil for Vipps' address of empty strings.
    static func addressJSON(_ address: UserInfo.Address?) -> String? {
        guard let address, !address.isEmpty, let data = try? JSONEncoder().encode(address) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
