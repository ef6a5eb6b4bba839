/// A read position over a byte buffer, for the parsers. Never reads past the end: `peek` answers nil.
struct ByteCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var index: Int = 0

    init(bytes: UnsafeBufferPointer<UInt8>, index: Int = 0) {
        self.bytes = bytes
        self.index = index
    }

    var count: Int { bytes.count }
    var isAtEnd: Bool { index >= bytes.count }

    @inline(__always)
    func peek(offset: Int = 0) -> UInt8? {
        let position = index + offset
        return position < bytes.count ? bytes[position] : nil
    }

    @inline(__always)
    mutating func advance(by count: Int) { index += count }

    @inline(__always)
    mutating func skip(while predicate: (UInt8) -> Bool) {
        while index < bytes.count, predicate(bytes[index]) { index += 1 }
    }

    /// Skips the empty lines a server should ignore before a request line (RFC 9112 §2.2).
    mutating func skipLeadingEmptyLines() {
        while peek() == .cr, peek(offset: 1) == .lf { index += 2 }
    }

    func slice(from start: Int, to end: Int? = nil) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[start..<(end ?? index)])
    }
}

extension UInt8 {
    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let colon = UInt8(ascii: ":")
    static let semicolon = UInt8(ascii: ";")
    static let comma = UInt8(ascii: ",")
    static let slash = UInt8(ascii: "/")
    static let questionMark = UInt8(ascii: "?")
    static let equals = UInt8(ascii: "=")
    static let ampersand = UInt8(ascii: "&")
    static let percent = UInt8(ascii: "%")
    static let plus = UInt8(ascii: "+")
    static let quote = UInt8(ascii: "\"")
}

/// Character classes of RFC 9110 §5.6.
enum ByteClass {
    /// tchar: the characters of a token (method, header name, cookie name).
    @inline(__always)
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte &- UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte &- UInt8(ascii: "A") &+ 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte &- UInt8(ascii: "a") &+ 10
        default: nil
        }
    }

    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) ? byte | 0x20 : byte
    }

    /// Whether `bytes` equal the lowercase ASCII `lowercase`, ignoring case.
    static func equalsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let expected = lowercase.utf8Start
        for index in 0..<bytes.count where lowercased(bytes[index]) != expected[index] { return false }
        return true
    }
}

extension Slice where Base == UnsafeBufferPointer<UInt8> {
    /// The bytes without leading and trailing spaces and tabs (optional whitespace, RFC 9110 §5.6.3).
    var trimmingOptionalWhitespace: Slice {
        var slice = self
        while let first = slice.first, first == .space || first == .tab { slice = slice.dropFirst() }
        while let last = slice.last, last == .space || last == .tab { slice = slice.dropLast() }
        return slice
    }
}
