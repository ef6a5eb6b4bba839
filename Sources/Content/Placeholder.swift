/// The per-visitor values a page's Markdown may name as `{{given_name}}` and the like. Everything else
/// in a page is the same for every visitor, so it is rendered once per revision.
public enum Placeholder: String, Sendable, CaseIterable {
    case givenName = "given_name"
    case familyName = "family_name"
    case name
    case store

    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The placeholder as written in a page (`{{given_name}}`): put into trusted HTML that is rendered
    /// once, it marks where the visitor's value goes when the cached HTML is filled per request.
    public var token: String { "{{" + rawValue + "}}" }
}

/// Rendered HTML split at its placeholders: filling it per request is a few appends, with each value
/// HTML-escaped. A placeholder without a value becomes the empty string.
public struct PlaceholderTemplate: Sendable, Equatable {
    enum Segment: Sendable, Equatable {
        case literal([UInt8])
        case placeholder(Placeholder)
    }

    let segments: [Segment]

    /// Splits `html` at every `{{ name }}` whose name is a known placeholder; anything else stays text.
    public init(html: String) {
        var segments: [Segment] = []
        var literal: [UInt8] = []
        let bytes = Array(html.utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "{"), let (placeholder, end) = Self.placeholder(in: bytes, at: index) {
                if !literal.isEmpty { segments.append(.literal(literal)) }
                literal = []
                segments.append(.placeholder(placeholder))
                index = end
            } else {
                literal.append(bytes[index])
                index += 1
            }
        }
        if !literal.isEmpty { segments.append(.literal(literal)) }
        self.segments = segments
    }

    /// The placeholders used, in order of appearance (for validating a page when it is saved).
    public var placeholders: [Placeholder] {
        segments.compactMap { if case .placeholder(let placeholder) = $0 { placeholder } else { nil } }
    }

    public func render(_ values: [Placeholder: String]) -> String {
        String(decoding: renderBytes(values), as: UTF8.self)
    }

    /// The HTML with each placeholder written back as its token, for embedding in a larger page that is
    /// itself cached as a `PlaceholderTemplate`.
    public var htmlWithTokens: String {
        render(Dictionary(uniqueKeysWithValues: Placeholder.allCases.map { ($0, $0.token) }))
    }

    /// As `render(_:)`, as UTF-8 bytes ready for a response body.
    public func renderBytes(_ values: [Placeholder: String]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(segments.reduce(0) { total, segment in
            if case .literal(let bytes) = segment { total + bytes.count } else { total + 16 }
        })
        for segment in segments {
            switch segment {
            case .literal(let bytes): output.append(contentsOf: bytes)
            case .placeholder(let placeholder): HTMLEscaping.append(values[placeholder] ?? "", to: &output)
            }
        }
        return output
    }

    /// The placeholder starting at `start` (`{{`, optional spaces, a name, optional spaces, `}}`) and the
    /// index after it.
    static func placeholder(in bytes: [UInt8], at start: Int) -> (Placeholder, Int)? {
        guard let name = PlaceholderSyntax.name(in: bytes, at: start) else { return nil }
        guard let placeholder = Placeholder(rawValue: name.name) else { return nil }
        return (placeholder, name.end)
    }
}

/// The `{{ name }}` syntax shared by rendering and by validation (which must also find unknown names).
enum PlaceholderSyntax {
    static func name(in bytes: [UInt8], at start: Int) -> (name: String, end: Int)? {
        guard start + 1 < bytes.count, bytes[start] == UInt8(ascii: "{"), bytes[start + 1] == UInt8(ascii: "{") else { return nil }
        var index = start + 2
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
        let nameStart = index
        while index < bytes.count, isNameByte(bytes[index]) { index += 1 }
        let nameEnd = index
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
        guard nameEnd > nameStart, index + 1 < bytes.count,
              bytes[index] == UInt8(ascii: "}"), bytes[index + 1] == UInt8(ascii: "}") else { return nil }
        return (String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self), index + 2)
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
    }
}
