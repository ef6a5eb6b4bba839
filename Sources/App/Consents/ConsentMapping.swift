import Foundation

/// How the merchant's own consent checkboxes (`customFlow`, ids of their choosing) map to the club's
/// channels, from `Templates/consents.json`:
/// `{"customFlow": {"cf_newsletter": "email", "cf_sms_offers": "sms"}}`. A mapped checkbox is recorded
/// as its channel, so `/me`'s switches, the statistics, the member CSV and the webhooks treat it like
/// the delegated consent of that name; an id without a mapping is kept under its own id and shown by
/// the words the customer saw, never dropped.
struct ConsentMapping: Sendable, Equatable {
    static let channels = ["email", "sms", "digital", "personal"]

    private let customFlow: [String: String]

    init(customFlow: [String: String] = [:]) { self.customFlow = customFlow }

    /// Our id for a checkbox Vipps reported.
    func channel(forCustomID id: String) -> String { customFlow[id] ?? id }

    /// A missing file maps nothing; a file that maps to an unknown channel, or two ids to one channel,
    /// stops start-up with the file named.
    static func load(path: String) throws(ConfigurationError) -> ConsentMapping {
        guard FileManager.default.fileExists(atPath: path) else { return ConsentMapping() }
        struct File: Decodable { var customFlow: [String: String]? }
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
        return ConsentMapping(customFlow: mapping)
    }
}
