import Foundation

/// A verified login, as it is recorded: who (the profile from Vipps' userinfo), from which login request,
/// and what the member answered to the delegated consents.
public struct LandingRecord: Sendable {
    public var profile: MemberProfile
    /// The till's login request, when the login started there.
    public var request: LoginRequest?
    /// Where the consents came from, for the receipt (`vipps-login`, `vipps-app`…).
    public var source: String
    /// The consents exactly as Vipps sent them, for the receipt; nil when Vipps sent none, which
    /// changes nothing (Vipps may leave out consents it remembers).
    public var consentsPayload: String?
    public var consents: [ConsentAnswer]
    /// The terms and privacy statement accepted in this login (scope `agreement`), if asked.
    public var agreement: AgreementAcceptance?
    public var time: Date

    public init(
        profile: MemberProfile, request: LoginRequest?, source: String, consentsPayload: String?, consents: [ConsentAnswer],
        agreement: AgreementAcceptance? = nil, time: Date
    ) {
        self.profile = profile
        self.request = request
        self.source = source
        self.consentsPayload = consentsPayload
        self.consents = consents
        self.agreement = agreement
        self.time = time
    }

    public init(profile: MemberProfile, request: LoginRequest?, source: String, consentsPayload: String?, consents: [String: Bool], time: Date) {
        self.init(
            profile: profile, request: request, source: source, consentsPayload: consentsPayload,
            consents: consents.sorted { $0.key < $1.key }.map { ConsentAnswer(id: $0.key, accepted: $0.value) }, time: time)
    }
}

/// Records a verified login in one transaction: the member (by `sub`, profile refreshed), the login
/// request confirmed, a new member's welcome offer, the consent receipt appended, the funnel event, and the merchant's webhook events
/// in the outbox. Acknowledged only once committed.
public struct Landings: Sendable {
    let ledger: ConsentLedger

    public init(ledger: ConsentLedger) { self.ledger = ledger }

    /// Returns the member after the login and the consents this login changed from what the member had
    /// given before.
    @discardableResult
    public func record(_ landing: LandingRecord) async throws -> (member: Member, changedConsents: [String: Bool]) {
        let ledger = ledger
        let outcome = try await ledger.pool.write { database in
            let time = landing.time
            let sub = landing.profile.sub
            var changed: [String: Bool] = [:]
            let member = try MemberStore.recordLogin(landing.profile, store: landing.request?.store, at: time, in: database)
            if member.loginCount == 1 {
                // The welcome offer is given with the membership, or not at all.
                try WelcomeOfferStore.issue(sub: sub, loginRequestID: landing.request?.id, at: time, in: database)
            }
            if let request = landing.request, let authReqID = request.authReqID {
                let mismatch = landing.profile.phoneNumber.map { $0 != request.phoneHint } ?? false
                try LoginRequestStore.confirm(authReqID: authReqID, sub: sub, phoneMismatch: mismatch, at: time, in: database)
            }
            if let payload = landing.consentsPayload {
                changed = try ledger.recordFromVipps(
                    sub: sub, payload: payload, answers: landing.consents, loginRequestID: landing.request?.id, at: time, in: database)
            }
            if let agreement = landing.agreement {
                try AgreementStore.record(agreement, sub: sub, loginRequestID: landing.request?.id, in: database)
            }
            try FunnelEvents.record("confirmed", store: landing.request?.store, loginRequestID: landing.request?.id, sub: sub, at: time, in: database)
            // The merchant's systems hear of it in the same transaction (the outbox), or not at all.
            let current = try MemberEvents.consents(sub: sub, in: database)
            try MemberEvents.enqueue(
                member.loginCount == 1 ? "member.joined" : "member.updated", member: member, consents: current, at: time, in: database)
            if !changed.isEmpty, member.loginCount > 1 {
                try MemberEvents.enqueue("member.consents_changed", member: member, consents: current, at: time, in: database)
            }
            return (member: member, changedConsents: changed)
        }
        ledger.pool.memberChanges.changed(landing.profile.sub)
        return outcome
    }
}
