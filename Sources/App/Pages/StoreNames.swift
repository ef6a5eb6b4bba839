import Content
import Foundation

/// The stores' display names ("Oslo sentrum"), from `Templates/stores.json`: a store id (`oslo-1`) is
/// for systems, never for customers. A store without a name is shown as the page's fallback.
struct StoreNames: Sendable {
    private let names: [String: [String: String]]

    init(_ names: [String: [String: String]] = [:]) { self.names = names }

    /// `{"stores": {"oslo-1": {"nb": "Oslo sentrum", "en": "Oslo city centre"}}}`; a missing file is no names.
    static func load(path: String) throws -> StoreNames {
        guard FileManager.default.fileExists(atPath: path) else { return StoreNames() }
        struct File: Decodable { var stores: [String: [String: String]] }
        do {
            return StoreNames(try JSONDecoder().decode(File.self, from: Data(contentsOf: URL(fileURLWithPath: path))).stores)
        } catch {
            throw ConfigurationError("\(path) is not a list of store names such as {\"stores\": {\"oslo-1\": {\"nb\": \"Oslo sentrum\"}}}: \(error)")
        }
    }

    /// The stores that have names, for pickers.
    var ids: [String] { names.keys.sorted() }

    func name(of store: String, in language: Language) -> String? {
        guard let names = names[store] else { return nil }
        return names[language.rawValue] ?? names["nb"] ?? names.values.first
    }
}
