import Foundation

/// How the merchant's own consent checkboxes (`customFlow`, ids of their choosing) map to the club's
/// channels, from `Templates/consents.json`:
/// `{"customFlow": {"cf_newsletter": "email", "cf_sms_offers": "sms"}}`. A mapped checkbox is recorded
/// as its channel, so `/me`'s switches, the statistics, the member CSV and the webhooks treat it like
/// the delegated consent of that name; an id without a mapping is kept under its own id and shown by
/// the words the customer saw, never dropped. Checkboxes that accept the club's terms (`"terms":
/// ["cf_accept_terms"]`) are kept too, but they are no marketing consent: `/me` shows them with the
/// terms, without a switch (withdrawing them is leaving the club), and the statistics leave them out.
struct ConsentMapping: Sendable, Equatable {
    static let channels = ["email", "sms", "digital", "personal"]

    private let customFlow: [String: String]
    let terms: Set<String>

    init(customFlow: [String: String] = [:], terms: Set<String> = []) {
        self.customFlow = customFlow
        self.terms = terms
    }

    /// Our id for a checkbox Vipps reported.
    func channel(forCustomID id: String) -> String { customFlow[id] ?? id }

    /// Whether the consent is an acceptance of the terms rather than a consent to marketing.
    func isTerms(_ id: String) -> Bool { terms.contains(id) }

    /// A missing file maps nothing; a file that maps to an unknown channel, or two ids to one channel,
    /// stops start-up with the file named.
    static func load(path: String) throws(ConfigurationError) -> ConsentMapping {
        guard FileManager.default.fileExists(atPath: path) else { return ConsentMapping() }
        struct File: Decodable {
            var customFlow: [String: String]?
            var terms: [String]?
        }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ConfigurationError("\(path) must map customFlow checkbox ids to channels, such as {\"customFlow\": {\"cf_news\": \"email\"}}")
        }
        let mapping = file.customFlow ?? [:]
        for (id, channel) in mapping.sorted(by: { $0.key < $1.key }) where !channels.contains(channel) {
            throw ConfigurationError("\(path): \(id) maps to \(channel), which is not one of \(channels.joined(separator: ", "))")
        }
        let byChannel = Dictionary(grouping: mapping.keys.sorted(), by: { mapping[$0]! })
        if let (channel, ids) = byChannel.sorted(by: { $0.key < $1.key }).first(where: { $0.value.count > 1 }) {
            throw ConfigurationError("\(path): \(ids.joined(separator: " and ")) both map to \(channel); one checkbox per channel")
        }
        let terms = Set(file.terms ?? [])
        if let both = terms.intersection(mapping.keys).sorted().first {
            throw ConfigurationError("\(path): \(both) is both a channel and the terms; a checkbox is one or the other")
        }
        return ConsentMapping(customFlow: mapping, terms: terms)
    }
}
