import Foundation

/// Every UI string, in nb and en, from `Templates/i18n/<lang>.json` (flat `"key": "text"` objects).
/// Loading checks that both languages have exactly the same keys, so a string cannot be missing in one.
public struct Localization: Sendable {
    public enum LoadError: Error, CustomStringConvertible, Equatable {
        case unreadable(path: String, reason: String)
        case keysDiffer(onlyIn: Language, keys: [String])

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): "cannot read UI strings from \(path): \(reason)"
            case .keysDiffer(let language, let keys): "UI strings only in \(language.rawValue): \(keys.joined(separator: ", "))"
            }
        }
    }

    private let strings: [Language: [String: String]]

    public init(strings: [Language: [String: String]]) throws(LoadError) {
        let reference = Set(strings[.nb, default: [:]].keys)
        for language in Language.allCases where language != .nb {
            let keys = Set(strings[language, default: [:]].keys)
            let extra = keys.subtracting(reference).sorted()
            if !extra.isEmpty { throw .keysDiffer(onlyIn: language, keys: extra) }
            let missing = reference.subtracting(keys).sorted()
            if !missing.isEmpty { throw .keysDiffer(onlyIn: .nb, keys: missing) }
        }
        self.strings = strings
    }

    /// Loads `nb.json` and `en.json` from `directory`.
    public init(directory: String) throws(LoadError) {
        var strings: [Language: [String: String]] = [:]
        for language in Language.allCases {
            let path = directory + "/" + language.rawValue + ".json"
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                strings[language] = try JSONDecoder().decode([String: String].self, from: data)
            } catch {
                throw .unreadable(path: path, reason: "\(error)")
            }
        }
        try self.init(strings: strings)
    }

    /// All strings of `language`, for a template's `t` context.
    public func strings(for language: Language) -> [String: String] { strings[language] ?? [:] }

    /// One string; the key itself when missing, so a gap shows up on the page instead of crashing it.
    public func text(_ key: String, in language: Language) -> String { strings[language]?[key] ?? key }

    public var keys: [String] { strings[.nb].map { Array($0.keys).sorted() } ?? [] }
}
