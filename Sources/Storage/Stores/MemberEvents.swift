import Foundation

/// The events the merchant's systems hear about members, as Standard Webhooks payloads
/// (`{"type", "timestamp", "data"}`). A member is named by their Velkommen member number; what else a
/// payload carries is what the member's consents allow: e-mail with the e-mail consent, the phone number
/// with SMS, the name with any consent. `member.erased` carries the number only.
public enum MemberEvents {
    /// Every event an endpoint can subscribe to; `offer.redeemed` (member number, code, store, time) is
    /// written by `WelcomeOfferStore`.
    public static let types = [
        "member.joined", "member.updated", "member.consents_changed", "member.preferences_saved", "member.erased", "offer.redeemed",
    ]

    /// Writes `type` for the member `sub` to the outbox, inside the caller's transaction; reads the member
    /// and their consents only when an endpoint wants the event.
    static func enqueue(_ type: String, sub: String, answers: [String: String]? = nil, at time: Date = Date(), in database: any Database) throws {
        guard try !WebhookStore.subscribers(of: type, in: database).isEmpty, let member = try MemberStore.find(sub: sub, in: database) else { return }
        try enqueue(type, member: member, consents: try consents(sub: sub, in: database), answers: answers, at: time, in: database)
    }

    /// Writes `type` for `member` to the outbox, inside the caller's transaction.
    static func enqueue(
        _ type: String, member: Member, consents: [String: Bool], answers: [String: String]? = nil,
        at time: Date = Date(), in database: any Database
    ) throws {
        guard try !WebhookStore.subscribers(of: type, in: database).isEmpty else { return }
        var data: [String: Any] = ["memberId": MemberNumber.digits(member.memberNumber)]
        if type != "member.erased" {
            let given = consents.filter(\.value).keys
            if !given.isEmpty, let name = member.profile.name { data["name"] = name }
            if consents["email"] == true, let email = member.profile.email { data["email"] = email }
            if consents["sms"] == true, let phone = member.profile.phoneNumber { data["phone"] = "+" + phone }
            data["consents"] = consents
            if let store = member.firstStore { data["store"] = store }
            if let answers { data["preferences"] = answers }
        }
        let object: [String: Any] = [
            "type": type, "timestamp": time.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)), "data": data,
        ]
        let payload = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        try WebhookStore.enqueue(type: type, memberKey: String(member.memberNumber), payload: payload, at: time, in: database)
    }

    /// The member's current consents, accepted ones true, in the caller's transaction.
    static func consents(sub: String, in database: any Database) throws -> [String: Bool] {
        Dictionary(
            try database.query("SELECT consent_id, accepted AND revoked_reported_at IS NULL FROM member_consents WHERE member_sub = ?", [sub]) {
                (try $0[0] as String, try $0[1] as Bool)
            }, uniquingKeysWith: { first, _ in first })
    }
}
