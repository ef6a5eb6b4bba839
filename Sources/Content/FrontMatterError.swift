/// Why a page's source was refused, with the line it was found on (1-based, counting the opening `---`).
public struct FrontMatterError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Problem: Equatable, Sendable {
        case missingOpeningFence
        case missingClosingFence
        case notKeyValue
        case unknownKey(String)
        case duplicateKey(String)
        case missingKey(String)
        case emptyValue(String)
        case invalidValue(key: String, value: String, expected: String)
        case expiresBeforePublish
        case unknownPlaceholder(String)
    }

    public let line: Int
    public let problem: Problem

    public init(line: Int, _ problem: Problem) {
        self.line = line
        self.problem = problem
    }

    public var description: String {
        let text: String
        switch problem {
        case .missingOpeningFence: text = "a page starts with a line of three dashes (---), then its front matter"
        case .missingClosingFence: text = "the front matter has no closing line of three dashes (---)"
        case .notKeyValue: text = "expected “key: value”"
        case .unknownKey(let key): text = "unknown key “\(key)” (known keys: \(FrontMatter.Key.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .duplicateKey(let key): text = "“\(key)” is given twice"
        case .missingKey(let key): text = "“\(key)” is required"
        case .emptyValue(let key): text = "“\(key)” has no value"
        case .invalidValue(let key, let value, let expected): text = "“\(key)” cannot be “\(value)”: expected \(expected)"
        case .expiresBeforePublish: text = "expire_at must be later than publish_at"
        case .unknownPlaceholder(let name): text = "unknown placeholder {{\(name)}} (known: \(Placeholder.names))"
        }
        return "line \(line): \(text)"
    }
}
