/// Writes a response's status line and header section as bytes. The server owns framing: it writes
/// `Content-Length`, `Connection` and `Date` itself and drops those a handler set, and it never lets a
/// header value carry CR, LF or another control character (response splitting).
struct ResponseHeadWriter {
    /// The default headers, encoded once, with their names for the "handler set its own" check.
    struct EncodedDefaults: Sendable {
        var names: [String]
        var bytes: [[UInt8]]

        init(_ headers: HTTPHeaders) {
            names = headers.map(\.name)
            bytes = headers.map { Array("\($0.name): \(ResponseHeadWriter.sanitized($0.value))\r\n".utf8) }
        }
    }

    /// Framing headers the server computes; a handler's copies are dropped.
    private static let reserved = ["content-length", "transfer-encoding", "connection", "date"]

    /// Serializes the head of `response`.
    /// `bodyLength` nil: a streamed body, `chunked` or (for HTTP/1.0) delimited by the close.
    static func head(
        for response: HTTPResponse, bodyLength: Int?, date: [UInt8], keepAlive: Bool, requestVersion: HTTPVersion,
        defaults: EncodedDefaults, chunked: Bool = false
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + defaults.bytes.reduce(0) { $0 + $1.count } + response.headers.count * 48)
        out += "HTTP/1.1 \(response.status.code) \(response.status.reasonPhrase)\r\n".utf8
        out += date
        if response.status.allowsBody {
            if let bodyLength {
                out += "Content-Length: ".utf8
                appendDecimal(bodyLength, to: &out)
                out += [.cr, .lf]
            } else if chunked {
                out += "Transfer-Encoding: chunked\r\n".utf8
            }
        }
        if !keepAlive {
            out += "Connection: close\r\n".utf8
        } else if requestVersion == .http1_0 {
            out += "Connection: keep-alive\r\n".utf8
        }
        for (index, name) in defaults.names.enumerated() where !response.headers.contains(name) {
            out += defaults.bytes[index]
        }
        for field in response.headers {
            guard !field.name.isEmpty, field.name.utf8.allSatisfy(ByteClass.isTokenCharacter),
                !reserved.contains(where: { field.name.equalsIgnoringASCIICase($0) })
            else { continue }
            out += field.name.utf8
            out += [.colon, .space]
            appendSanitized(field.value, to: &out)
            out += [.cr, .lf]
        }
        out += [.cr, .lf]
        return out
    }

    /// `Date: <IMF-fixdate>\r\n` for the given second.
    static func dateLine(secondsSince1970: Int) -> [UInt8] {
        Array("Date: \(HTTPDate.format(secondsSince1970: secondsSince1970))\r\n".utf8)
    }

    static func sanitized(_ value: String) -> String {
        var out: [UInt8] = []
        appendSanitized(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Control characters (but tab) become spaces, so that a value can never end the header line.
    private static func appendSanitized(_ value: String, to out: inout [UInt8]) {
        for byte in value.utf8 {
            out.append((byte < 0x20 && byte != .tab) || byte == 0x7F ? .space : byte)
        }
    }

    private static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: [UInt8] = []
        var rest = value
        while rest > 0 {
            digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        }
        out += digits.reversed()
    }
}
