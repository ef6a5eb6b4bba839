/// The per-visitor values a page's Markdown may name as `{{given_name}}` and the like. Everything else
/// in a page is the same for every visitor, so it is rendered once per revision. A placeholder may say
/// what to write when the visitor has no such value: `{{given_name|du}}`.
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
/// HTML-escaped. A placeholder without a value becomes its fallback, or nothing when it has none (the
/// editor warns about those: `holes(_:)`).
public struct PlaceholderTemplate: Sendable, Equatable {
    enum Segment: Sendable, Equatable {
        case literal([UInt8])
        /// The fallback is HTML already (it was rendered with the page's Markdown).
        case placeholder(Placeholder, fallback: [UInt8]?)
    }

    let segments: [Segment]

    /// Splits `html` at every `{{ name }}` or `{{ name | fallback }}` whose name is a known placeholder;
    /// anything else stays text.
    public init(html: String) {
        var segments: [Segment] = []
        var literal: [UInt8] = []
        let bytes = Array(html.utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "{"), let found = PlaceholderSyntax.name(in: bytes, at: index),
                let placeholder = Placeholder(rawValue: found.name)
            {
                if !literal.isEmpty { segments.append(.literal(literal)) }
                literal = []
                segments.append(.placeholder(placeholder, fallback: found.fallback))
                index = found.end
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
        segments.compactMap { if case .placeholder(let placeholder, _) = $0 { placeholder } else { nil } }
    }

    /// The placeholders that would leave a hole for a visitor with `values`: no value and no fallback.
    public func holes(_ values: [Placeholder: String]) -> [Placeholder] {
        segments.compactMap { segment in
            guard case .placeholder(let placeholder, nil) = segment, (values[placeholder] ?? "").isEmpty else { return nil }
            return placeholder
        }
    }

    public func render(_ values: [Placeholder: String]) -> String {
        String(decoding: renderBytes(values), as: UTF8.self)
    }

    /// The HTML with each placeholder written back as its token (with its fallback), for embedding in a
    /// larger page that is itself cached as a `PlaceholderTemplate`.
    public var htmlWithTokens: String {
        var output: [UInt8] = []
        for segment in segments {
            switch segment {
            case .literal(let bytes): output.append(contentsOf: bytes)
            case .placeholder(let placeholder, let fallback):
                output.append(contentsOf: Array("{{\(placeholder.rawValue)".utf8))
                if let fallback {
                    output.append(UInt8(ascii: "|"))
                    output.append(contentsOf: fallback)
                }
                output.append(contentsOf: Array("}}".utf8))
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// As `render(_:)`, as UTF-8 bytes ready for a response body.
    public func renderBytes(_ values: [Placeholder: String]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(
            segments.reduce(0) { total, segment in
                if case .literal(let bytes) = segment { total + bytes.count } else { total + 16 }
            })
        for segment in segments {
            switch segment {
            case .literal(let bytes): output.append(contentsOf: bytes)
            case .placeholder(let placeholder, let fallback):
                if let value = values[placeholder], !value.isEmpty {
                    HTMLEscaping.append(value, to: &output)
                } else if let fallback {
                    output.append(contentsOf: fallback)
                }
            }
        }
        return output
    }
}

/// The `{{ name }}` and `{{ name | fallback }}` syntax shared by rendering and by validation (which must
/// also find unknown names).
enum PlaceholderSyntax {
    static let maxFallbackBytes = 80

    static func name(in bytes: [UInt8], at start: Int) -> (name: String, fallback: [UInt8]?, end: Int)? {
        guard start + 1 < bytes.count, bytes[start] == UInt8(ascii: "{"), bytes[start + 1] == UInt8(ascii: "{") else { return nil }
        var index = start + 2
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
        let nameStart = index
        while index < bytes.count, isNameByte(bytes[index]) { index += 1 }
        let nameEnd = index
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
        guard nameEnd > nameStart else { return nil }
        var fallback: [UInt8]?
        if index < bytes.count, bytes[index] == UInt8(ascii: "|") {
            index += 1
            let fallbackStart = index
            while index < bytes.count, index - fallbackStart <= maxFallbackBytes,
                ![UInt8(ascii: "}"), UInt8(ascii: "{"), UInt8(ascii: "\n")].contains(bytes[index])
            {
                index += 1
            }
            let trimmed = bytes[fallbackStart..<index].drop { $0 == UInt8(ascii: " ") }.reversed().drop { $0 == UInt8(ascii: " ") }.reversed()
            fallback = Array(trimmed)
        }
        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "}"), bytes[index + 1] == UInt8(ascii: "}") else { return nil }
        return (String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self), fallback, index + 2)
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
    }
}
