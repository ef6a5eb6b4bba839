import Foundation

/// The `key: value` lines between the two `---` fences at the top of a page. Strict on purpose: a typo
/// in a key or a date must reach the editor as an error naming its line, never become a default.
public struct FrontMatter: Sendable, Equatable {
    public enum Key: String, CaseIterable, Sendable {
        case title, slug, kind, lang, audience
        case publishAt = "publish_at"
        case expireAt = "expire_at"
    }

    /// Values by key, each with the line it came from.
    var values: [Key: (value: String, line: Int)] = [:]
    /// The Markdown after the closing fence.
    public var body: String
    /// The line on which the body starts.
    public var bodyLine: Int

    public static func == (lhs: FrontMatter, rhs: FrontMatter) -> Bool {
        lhs.body == rhs.body && lhs.bodyLine == rhs.bodyLine
            && lhs.values.mapValues(\.value) == rhs.values.mapValues(\.value)
    }

    /// Splits `source` into front matter and body; checks syntax, keys and duplicates (not values).
    public static func parse(_ source: String) throws(FrontMatterError) -> FrontMatter {
        let lines = source.lines
        guard let first = lines.first, first.trimmingSpaces == "---" else {
            throw FrontMatterError(line: 1, .missingOpeningFence)
        }
        var values: [Key: (value: String, line: Int)] = [:]
        var index = 1
        while true {
            guard index < lines.count else { throw FrontMatterError(line: lines.count, .missingClosingFence) }
            let line = lines[index].trimmingSpaces
            let lineNumber = index + 1
            index += 1
            if line == "---" { break }
            if line.isEmpty || line.first == "#" { continue }
            guard let colon = line.firstIndex(of: ":") else { throw FrontMatterError(line: lineNumber, .notKeyValue) }
            let name = String(line[..<colon].trimmingSpaces)
            guard !name.isEmpty else { throw FrontMatterError(line: lineNumber, .notKeyValue) }
            guard let key = Key(rawValue: name) else { throw FrontMatterError(line: lineNumber, .unknownKey(name)) }
            guard values[key] == nil else { throw FrontMatterError(line: lineNumber, .duplicateKey(name)) }
            values[key] = (unquote(line[line.index(after: colon)...].trimmingSpaces), lineNumber)
        }
        let body = lines[index...].joined(separator: "\n")
        return FrontMatter(values: values, body: body, bodyLine: index + 1)
    }

    /// The value of a required key.
    func required(_ key: Key) throws(FrontMatterError) -> (value: String, line: Int) {
        guard let entry = values[key] else { throw FrontMatterError(line: 1, .missingKey(key.rawValue)) }
        guard !entry.value.isEmpty else { throw FrontMatterError(line: entry.line, .emptyValue(key.rawValue)) }
        return entry
    }

    /// The value of an optional key; an empty value counts as absent.
    func optional(_ key: Key) -> (value: String, line: Int)? {
        guard let entry = values[key], !entry.value.isEmpty else { return nil }
        return entry
    }

    private static func unquote(_ value: Substring) -> String {
        if value.count >= 2, let first = value.first, first == value.last, first == "\"" || first == "'" {
            return String(value.dropFirst().dropLast())
        }
        return String(value)
    }
}

extension StringProtocol {
    /// The lines of the text, split at LF and CRLF (one Character in Swift, so `split(separator: "\n")`
    /// alone would miss it).
    var lines: [SubSequence] {
        split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
    }
}
