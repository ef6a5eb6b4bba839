/// The request line: `method SP request-target SP HTTP-version CRLF` (RFC 9112 §3).
struct RequestLine {
    var method: HTTPMethod
    var path: String
    var query: String
    var version: HTTPVersion

    /// The longest method accepted; real ones are at most 7 characters.
    static let maxMethodLength = 32

    /// Parses the request line at the cursor; nil when the bytes end first (the cursor is then undefined).
    static func parse(_ cursor: inout ByteCursor, limits: ParserLimits) throws(HTTPParseError) -> RequestLine? {
        let methodStart = cursor.index
        cursor.skip(while: ByteClass.isTokenCharacter)
        if cursor.index - methodStart > maxMethodLength { throw .malformedRequestLine }
        guard let afterMethod = cursor.peek() else { return nil }
        guard afterMethod == .space, cursor.index > methodStart else { throw .malformedRequestLine }
        let method = HTTPMethod(rawValue: String(decoding: cursor.slice(from: methodStart), as: UTF8.self))
        cursor.advance(by: 1)

        let targetStart = cursor.index
        while let byte = cursor.peek(), byte != .space {
            // Visible ASCII only: no control characters, no DEL, no raw UTF-8, no fragment.
            guard byte > 0x20, byte < 0x7F, byte != UInt8(ascii: "#") else { throw .malformedRequestLine }
            cursor.advance(by: 1)
            if cursor.index - targetStart > limits.maxURILength { throw .uriTooLong }
        }
        guard !cursor.isAtEnd else { return nil }
        guard cursor.index > targetStart else { throw .malformedRequestLine }
        let target = cursor.slice(from: targetStart)
        cursor.advance(by: 1)

        guard let version = try parseVersion(&cursor) else { return nil }
        let (path, query) = try splitTarget(target, method: method)
        return RequestLine(method: method, path: path, query: query, version: version)
    }

    /// `HTTP/d.d CRLF`. 1.x is served as 1.1 or 1.0; any other well-formed version gets 505.
    private static func parseVersion(_ cursor: inout ByteCursor) throws(HTTPParseError) -> HTTPVersion? {
        let pattern: [UInt8] = Array("HTTP/0.0\r\n".utf8)
        for offset in 0..<pattern.count {
            guard let byte = cursor.peek(offset: offset) else { return nil }
            let expected = pattern[offset]
            let matches = expected == UInt8(ascii: "0") ? (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) : byte == expected
            guard matches else { throw .malformedRequestLine }
        }
        let major = Int(cursor.peek(offset: 5)! - UInt8(ascii: "0"))
        let minor = Int(cursor.peek(offset: 7)! - UInt8(ascii: "0"))
        cursor.advance(by: pattern.count)
        guard major == 1 else { throw .unsupportedVersion }
        // A higher 1.x minor is answered as the highest we speak (RFC 9110 §2.5).
        return HTTPVersion(major: 1, minor: min(minor, 1))
    }

    /// Splits origin-form into path and query; reduces absolute-form to its path; allows `*` for OPTIONS.
    private static func splitTarget(_ target: UnsafeBufferPointer<UInt8>, method: HTTPMethod) throws(HTTPParseError) -> (String, String) {
        var start = 0
        if target[0] == UInt8(ascii: "*") {
            guard target.count == 1, method == .options else { throw .malformedRequestLine }
            return ("*", "")
        }
        if target[0] != .slash {
            start = try absoluteFormPathStart(target)
        }
        let rest = UnsafeBufferPointer(rebasing: target[start...])
        guard let mark = rest.firstIndex(of: .questionMark) else {
            return (rest.isEmpty ? "/" : String(decoding: rest, as: UTF8.self), "")
        }
        let path = mark == 0 ? "/" : String(decoding: UnsafeBufferPointer(rebasing: rest[..<mark]), as: UTF8.self)
        return (path, String(decoding: UnsafeBufferPointer(rebasing: rest[(mark + 1)...]), as: UTF8.self))
    }

    /// `http://host[:port]/path`: the index where the path (or query) starts.
    private static func absoluteFormPathStart(_ target: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> Int {
        let schemes: [StaticString] = ["http://", "https://"]
        for scheme in schemes where target.count > scheme.utf8CodeUnitCount {
            let prefix = UnsafeBufferPointer(rebasing: target[..<scheme.utf8CodeUnitCount])
            guard ByteClass.equalsIgnoringCase(prefix, scheme) else { continue }
            var index = scheme.utf8CodeUnitCount
            while index < target.count, target[index] != .slash, target[index] != .questionMark { index += 1 }
            return index
        }
        throw .malformedRequestLine
    }
}
