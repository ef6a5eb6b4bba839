import Content

/// The editor's error messages in the marketer's language: `FrontMatterError` explains itself in
/// English for logs and tests; here each problem becomes a UI string with its details filled in.
enum EditorMessages {
    static func frontMatter(_ error: FrontMatterError, views: Views, language: Language) -> String {
        let (key, values): (String, [String: String]) =
            switch error.problem {
            case .missingOpeningFence: ("fm_missing_opening", [:])
            case .missingClosingFence: ("fm_missing_closing", [:])
            case .notKeyValue: ("fm_not_key_value", [:])
            case .unknownKey(let key): ("fm_unknown_key", ["key": key])
            case .duplicateKey(let key): ("fm_duplicate_key", ["key": key])
            case .missingKey(let key): ("fm_missing_key", ["key": key])
            case .emptyValue(let key): ("fm_empty_value", ["key": key])
            case .invalidValue(let key, let value, _): ("fm_invalid_" + key, ["value": value])
            case .expiresBeforePublish: ("fm_expires_before_publish", [:])
            case .unknownPlaceholder(let name): ("fm_unknown_placeholder", ["name": "{{" + name + "}}", "known": Placeholder.names])
            }
        return fill(views.text(key, in: language), values)
    }

    static func fill(_ text: String, _ values: [String: String]) -> String {
        values.reduce(text) { $0.replacingOccurrences(of: "{" + $1.key + "}", with: $1.value) }
    }
}
