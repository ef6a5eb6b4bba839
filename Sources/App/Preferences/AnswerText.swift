/// What a free-text answer is checked and cleaned with: ASCII (nearly every answer) takes a byte path,
/// anything else Unicode's own rules.
extension String {
    /// The text without leading and trailing whitespace (spaces, tabs, line breaks, the other Unicode
    /// spaces). Swift's own `Character.isWhitespace`: Foundation's `trimmingCharacters(in:)` bridges
    /// through NSString and was 4 % of a preference save's time (perf, POST /preferences at c64).
    var trimmedWhitespace: String {
        // Most answers start and end with a visible ASCII character: then there is nothing to trim, and
        // no need to walk the text by grapheme.
        if let first = utf8.first, let last = utf8.last, Self.isVisibleASCII(first), Self.isVisibleASCII(last) { return self }
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }

    private static func isVisibleASCII(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }

    /// The number of characters as a reader counts them (grapheme clusters); for ASCII text, its bytes,
    /// without Unicode's segmentation tables (a free-text answer is nearly always ASCII).
    var characterCount: Int { utf8.allSatisfy { $0 < 0x80 } ? utf8.count : count }

    /// Whether the text holds a control character (Unicode's general category Cc: C0, DEL, C1).
    var hasControlCharacter: Bool {
        if utf8.allSatisfy({ $0 < 0x80 }) { return utf8.contains { $0 < 0x20 || $0 == 0x7F } }
        return unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
