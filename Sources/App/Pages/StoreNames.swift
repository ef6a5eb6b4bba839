import Content
import Foundation
import Storage

/// The stores' display names ("Oslo sentrum"), from `Templates/stores.json`: a store id (`oslo-1`) is
/// for systems, never for customers. A store without a name is shown as the page's fallback.
struct StoreNames: Sendable {
    private let names: [String: [String: String]]
    /// Where logins started at each store end by default (`app` for enrolment at the till without a web page).
    private let endings: [String: LoginRequest.Ending]

    init(_ names: [String: [String: String]] = [:], endings: [String: LoginRequest.Ending] = [:]) {
        self.names = names
        self.endings = endings
    }

    /// `{"stores": {"oslo-1": {"nb": "Oslo sentrum", "en": "Oslo city centre"}}, "endings": {"oslo-1": "app"}}`;
    /// a missing file is no names, and every store ends on the web page.
    static func load(path: String) throws -> StoreNames {
        guard FileManager.default.fileExists(atPath: path) else { return StoreNames() }
        struct File: Decodable {
            var stores: [String: [String: String]]
            var endings: [String: LoginRequest.Ending]?
        }
        do {
            let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
            return StoreNames(file.stores, endings: file.endings ?? [:])
        } catch {
            throw ConfigurationError("\(path) is not a list of store names such as {\"stores\": {\"oslo-1\": {\"nb\": \"Oslo sentrum\"}}}: \(error)")
        }
    }

    func ending(of store: String) -> LoginRequest.Ending { endings[store] ?? .webpage }

    /// The stores that have names, for pickers.
    var ids: [String] { names.keys.sorted() }

    func name(of store: String, in language: Language) -> String? {
        guard let names = names[store] else { return nil }
        return names[language.rawValue] ?? names["nb"] ?? names.values.first
    }
}
