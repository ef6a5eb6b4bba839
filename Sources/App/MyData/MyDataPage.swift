import Content
import Foundation
import HTTPServer
import Storage

/// `/me`: everything stored about the member, as a page and as a JSON export, and erasure.
struct MyDataPage: Sendable {
    let members: MemberStore
    let answers: AnswerStore
    let ledger: ConsentLedger
    let sessions: MemberSession
    let cache: SignedInCache
    let views: Views

    func show(_ request: HTTPRequest, signedIn: SignedIn) async throws -> HTTPResponse {
        let language = VisitorLanguage.resolve(request, memberChoice: signedIn.language).language
        let sub = signedIn.member.profile.sub
        let profile = signedIn.member.profile
        let rows: [(String, String?)] = [
            ("me_name", profile.name), ("me_email", profile.email), ("me_phone", profile.phoneNumber),
            ("me_birthdate", profile.birthdate), ("me_address", Self.address(profile.addressJSON)),
        ]
        let history = try await answers.history(sub: sub)
        let shown = Self.shown(history)
        let receipts = try await ledger.receipts(sub: sub)
        var values: [String: Any] = [
            "profile": rows.compactMap { key, value in value.map { ["label": views.text(key, in: language), "value": $0] } },
            "consents": try await ledger.current(sub: sub).map { state in
                ["id": state.consentID, "state": views.text(state.revokedReportedAt != nil ? "consent_revoked" : state.accepted ? "consent_yes" : "consent_no", in: language),
                 "text": Self.consentText(state.consentID, receipts: receipts) ?? state.consentID,
                 "changedAt": PosAPI.iso(state.changedAt)] as [String: Any]
            },
            "answers": shown.map { ["question": $0.question, "value": $0.value, "answeredAt": PosAPI.iso($0.answeredAt), "current": $0.supersededAt == nil] as [String: Any] },
            "receiptCount": receipts.count,
            "csrf": signedIn.session.csrfToken,
            "since": PosAPI.iso(signedIn.member.createdAt),
        ]
        if history.count > shown.count { values["earlierAnswers"] = ["count": history.count - shown.count] }
        return try views.page("pages/me", in: language, values)
    }

    func export(_ request: HTTPRequest, signedIn: SignedIn) async throws -> HTTPResponse {
        let sub = signedIn.member.profile.sub
        let member = signedIn.member
        let object: [String: Any] = [
            "sub": sub,
            "profile": ["name": member.profile.name as Any, "given_name": member.profile.givenName as Any, "family_name": member.profile.familyName as Any,
                        "email": member.profile.email as Any, "email_verified": member.profile.emailVerified as Any,
                        "phone_number": member.profile.phoneNumber as Any, "birthdate": member.profile.birthdate as Any,
                        "address": member.profile.addressJSON.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) } as Any],
            "memberSince": PosAPI.iso(member.createdAt), "lastLogin": PosAPI.iso(member.lastLoginAt), "logins": member.loginCount,
            "language": member.language as Any,
            "consents": try await ledger.current(sub: sub).map { ["id": $0.consentID, "accepted": $0.accepted, "changedAt": PosAPI.iso($0.changedAt),
                                                                  "revokedReportedAt": $0.revokedReportedAt.map(PosAPI.iso) as Any] },
            "consentReceipts": try await ledger.receipts(sub: sub).map { ["source": $0.source, "recordedAt": PosAPI.iso($0.recordedAt),
                                                                         "payload": (try? JSONSerialization.jsonObject(with: Data($0.payload.utf8))) ?? $0.payload] },
            "answers": try await answers.history(sub: sub).map { ["question": $0.question, "value": $0.value, "answeredAt": PosAPI.iso($0.answeredAt),
                                                                  "supersededAt": $0.supersededAt.map(PosAPI.iso) as Any] },
        ]
        let cleaned = Self.replacingNil(object)
        let data = (try? JSONSerialization.data(withJSONObject: cleaned, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        var response = HTTPResponse.json(Array(data))
        response.headers.set("Content-Disposition", "attachment; filename=\"velkommen-my-data.json\"")
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    func delete(_ request: HTTPRequest, signedIn: SignedIn) async throws -> HTTPResponse {
        let language = VisitorLanguage.resolve(request, memberChoice: signedIn.language).language
        let form = request.formFields()
        guard CSRF.isValid(form, expected: signedIn.session.csrfToken) else {
            return try views.problem("csrf", in: language, status: .forbidden)
        }
        guard form?["confirm"] == "yes" else {
            return try views.problem("delete_unconfirmed", in: language, status: .unprocessableContent)
        }
        try await members.delete(sub: signedIn.member.profile.sub)
        cache.forget(sub: signedIn.member.profile.sub)
        var response = try views.problem("deleted", in: language, status: .ok)
        response.setCookie(try await sessions.end(request))
        return response
    }

    /// Replaced answers shown on the page; the export has them all.
    static let replacedShown = 20

    /// The current answers and the newest replaced ones, oldest first: a member who changes an answer
    /// every day for years still gets a page of one screen, not of megabytes.
    static func shown(_ history: [Answer]) -> [Answer] {
        let replaced = history.indices.filter { history[$0].supersededAt != nil }
        let hidden = Set(replaced.dropLast(replacedShown))
        return history.indices.filter { !hidden.contains($0) }.map { history[$0] }
    }

    static func address(_ json: String?) -> String? {
        guard let json, let address = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return nil }
        return (address["formatted"] as? String)?.replacingOccurrences(of: "\n", with: ", ")
    }

    /// The text the member saw for a consent in Vipps, from the newest login receipt that has it;
    /// never from a webhook (unsigned: anyone can send one).
    static func consentText(_ id: String, receipts: [ConsentReceipt]) -> String? {
        for receipt in receipts.reversed() where receipt.source == "login" {
            guard let object = try? JSONSerialization.jsonObject(with: Data(receipt.payload.utf8)) as? [String: Any],
                  let consents = object["consents"] as? [[String: Any]] else { continue }
            if let text = consents.first(where: { $0["id"] as? String == id })?["textDisplayedToUser"] as? String { return text }
        }
        return nil
    }

    /// JSONSerialization cannot write Optional.none inside `Any`; it becomes null.
    static func replacingNil(_ value: Any) -> Any {
        if let dictionary = value as? [String: Any] { return dictionary.mapValues(replacingNil) }
        if let array = value as? [Any] { return array.map(replacingNil) }
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional { return mirror.children.first.map { replacingNil($0.value) } ?? NSNull() }
        return value
    }
}
