/// Parses a request head (request line and header section, RFC 9112 §2–§6) from bytes.
///
/// A pure function from bytes to a head or a typed error, so that every rule is tested with byte
/// fixtures and the socket code only moves bytes. Strict on purpose: anything a lenient peer might
/// read differently (bare CR or LF, white space before a colon, folded lines, duplicate framing headers)
/// is refused, because two parsers that disagree on framing are how requests get smuggled.
public enum HTTPRequestHeadParser {
    /// The result of looking at the bytes received so far.
    public enum Outcome: Sendable {
        /// More bytes are needed; nothing was consumed.
        case incomplete
        /// A whole head; `consumed` bytes belong to it, whatever follows is body or the next request.
        case complete(HTTPRequestHead, consumed: Int)
    }

    /// Parses `bytes` from their start.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, limits: ParserLimits) throws(HTTPParseError) -> Outcome {
        var cursor = ByteCursor(bytes: bytes)
        cursor.skipLeadingEmptyLines()
        guard let line = try RequestLine.parse(&cursor, limits: limits) else { return .incomplete }
        let headersStart = cursor.index
        guard let fields = try parseFields(&cursor, limits: limits, start: headersStart) else {
            if cursor.count - headersStart > limits.maxHeaderBytes { throw .headerSectionTooLarge }
            return .incomplete
        }
        let semantics = try FramingHeaders(fields.framing, version: line.version)
        let head = HTTPRequestHead(
            method: line.method, path: line.path, query: line.query, version: line.version,
            headers: fields.headers, framing: semantics.framing, keepAlive: semantics.keepAlive,
            expectsContinue: semantics.expectsContinue)
        return .complete(head, consumed: cursor.index)
    }

    /// Convenience for tests and tools: parses an array of bytes.
    public static func parse(_ bytes: [UInt8], limits: ParserLimits = ParserLimits()) throws(HTTPParseError) -> Outcome {
        try bytes.withUnsafeBufferPointer { (buffer) throws(HTTPParseError) in try parse(buffer, limits: limits) }
    }

    private struct Fields {
        var headers: HTTPHeaders
        var framing: FramingHeaders.Raw
    }

    /// Reads header lines up to the empty line; nil when the bytes end first.
    private static func parseFields(_ cursor: inout ByteCursor, limits: ParserLimits, start: Int) throws(HTTPParseError) -> Fields? {
        var headers = HTTPHeaders()
        var framing = FramingHeaders.Raw()
        while true {
            if cursor.index - start > limits.maxHeaderBytes { throw .headerSectionTooLarge }
            guard let first = cursor.peek() else { return nil }
            switch first {
            case .cr:
                guard let next = cursor.peek(offset: 1) else { return nil }
                guard next == .lf else { throw .invalidHeader }
                cursor.advance(by: 2)
                return Fields(headers: headers, framing: framing)
            case .lf:
                throw .invalidHeader
            case .space, .tab:
                throw .obsoleteLineFolding
            default:
                guard let field = try parseField(&cursor) else { return nil }
                if headers.count == limits.maxHeaderCount { throw .headerSectionTooLarge }
                framing.note(name: field.name, value: field.value)
                headers.add(String(decoding: field.name, as: UTF8.self), String(decoding: field.value, as: UTF8.self))
            }
        }
    }

    /// One `name: value CRLF` line; nil when the bytes end first.
    private static func parseField(
        _ cursor: inout ByteCursor
    ) throws(HTTPParseError) -> (name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>)? {
        let nameStart = cursor.index
        cursor.skip(while: ByteClass.isTokenCharacter)
        guard let colon = cursor.peek() else { return nil }
        // White space between name and colon is forbidden (RFC 9112 §5.1), as is an empty name.
        guard colon == .colon, cursor.index > nameStart else { throw .invalidHeader }
        let name = cursor.slice(from: nameStart)
        cursor.advance(by: 1)
        cursor.skip { $0 == .space || $0 == .tab }
        let valueStart = cursor.index
        var valueEnd = valueStart
        while let byte = cursor.peek(), byte != .cr {
            if byte != .space && byte != .tab {
                // Visible ASCII and obs-text only: no NUL, no bare LF, no other control character.
                guard byte > 0x20, byte != 0x7F else { throw .invalidHeader }
                valueEnd = cursor.index + 1
            }
            cursor.advance(by: 1)
        }
        guard let lf = cursor.peek(offset: 1) else { return nil }
        guard lf == .lf else { throw .invalidHeader }
        let value = cursor.slice(from: valueStart, to: valueEnd)
        cursor.advance(by: 2)
        return (name, value)
    }
}
