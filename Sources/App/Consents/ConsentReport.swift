import Foundation
import Storage
import VippsLogin

/// The consents one userinfo reported, in the ledger's terms: the answers with the words shown and
/// the objects as received for the receipt. Nil when userinfo carried no consent object at all, which
/// must change nothing: Vipps may leave out consents it remembers.
struct ConsentReport: Sendable, Equatable {
    var payload: String
    var answers: [ConsentAnswer]

    init?(_ info: UserInfo, mapping: ConsentMapping) {
        var answers: [ConsentAnswer] = []
        var parts: [String] = []
        if let consents = info.delegatedConsents, let json = info.delegatedConsentsJSON {
            // What the screen said around the boxes, and its links by the words shown for them.
            let links = [
                (consents.links?.termsLinkText, consents.links?.termsLinkUrl),
                (consents.links?.privacyStatementLinkText, consents.links?.privacyStatementLinkUrl),
            ].compactMap { title, url in url.map { ["title": title ?? $0, "url": $0] } }
            let context = Self.json([
                "screen": consents.heading, "description": consents.text ?? consents.termsDescription, "language": consents.language,
                "links": links.isEmpty ? nil : links,
            ])
            answers += consents.consents.map { ConsentAnswer(id: $0.id, accepted: $0.accepted, text: $0.textDisplayedToUser, contextJSON: context) }
            parts.append(json)
        }
        if let flow = info.flowResult, let json = info.flowResultJSON {
            for checkbox in flow.checkboxes {
                let channel = mapping.channel(forCustomID: checkbox.id)
                let links = checkbox.screen.links.map { ["title": $0.title ?? "", "url": $0.url ?? ""] }
                let context = Self.json([
                    "screen": checkbox.screen.title, "description": checkbox.screen.description, "language": flow.language,
                    "links": links.isEmpty ? nil : links,
                ])
                answers.append(
                    ConsentAnswer(
                        id: channel, accepted: checkbox.checked, text: checkbox.title, vippsID: channel == checkbox.id ? nil : checkbox.id,
                        contextJSON: context))
            }
            // The receipt says which kind of object it keeps; the delegated one stays bare, as before.
            parts.append("{\"flowResult\":" + json + "}")
        }
        guard !parts.isEmpty else { return nil }
        // One answer per id: a channel reported twice (both scopes) keeps the last.
        var seen = Set<String>()
        self.answers = answers.reversed().filter { seen.insert($0.id).inserted }.reversed()
        payload = parts.count == 1 ? parts[0] : "[" + parts.joined(separator: ",") + "]"
    }

    static func json(_ object: [String: Any?]) -> String? {
        let present = object.compactMapValues { $0 }
        guard !present.isEmpty, let data = try? JSONSerialization.data(withJSONObject: present, options: [.sortedKeys]) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
