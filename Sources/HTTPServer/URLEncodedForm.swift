/// `application/x-www-form-urlencoded` data (form bodies and query strings), parsed on bytes.
/// Keeps every pair in order, because a form may send one name several times (checkboxes).
public struct URLEncodedForm: Sendable, Equatable {
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String
    }

    public private(set) var fields: [Field]

    public init(fields: [Field] = []) { self.fields = fields }

    /// Parses `bytes`; a pair without "=" has an empty value, empty pairs are skipped.
    public init<C: Collection>(parsing bytes: C) where C.Element == UInt8 {
        fields = withContiguousBytes(bytes) { buffer in
            var fields: [Field] = []
            Self.forEachPair(in: buffer) { name, value in
                fields.append(
                    Field(
                        name: PercentDecoding.decodeString(buffer: name, plusAsSpace: true),
                        value: PercentDecoding.decodeString(buffer: value, plusAsSpace: true)))
                return true
            }
            return fields
        }
    }

    public init(parsing string: String) { self.init(parsing: string.utf8) }

    /// The first value of `name`.
    public subscript(name: String) -> String? { fields.first { $0.name == name }?.value }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] { fields.filter { $0.name == name }.map(\.value) }

    /// The first value of `name` in `bytes`, without building the whole form: for hot paths that read
    /// one query parameter.
    public static func firstValue<C: Collection>(_ name: String, in bytes: C) -> String? where C.Element == UInt8 {
        var name = name
        return name.withUTF8 { wanted in
            withContiguousBytes(bytes) { buffer in
                var found: String?
                forEachPair(in: buffer) { rawName, rawValue in
                    let matches =
                        rawName.elementsEqual(wanted)
                        || PercentDecoding.decodeString(buffer: rawName, plusAsSpace: true).utf8.elementsEqual(wanted)
                    if matches { found = PercentDecoding.decodeString(buffer: rawValue, plusAsSpace: true) }
                    return !matches
                }
                return found
            }
        }
    }

    /// Calls `body` with each raw `name=value` pair until it answers false.
    static func forEachPair(in buffer: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Bool) {
        var start = 0
        while start < buffer.count {
            var end = start
            var equals = -1
            while end < buffer.count, buffer[end] != .ampersand {
                if equals < 0 && buffer[end] == .equals { equals = end }
                end += 1
            }
            if end > start {
                let nameEnd = equals < 0 ? end : equals
                let valueStart = equals < 0 ? end : equals + 1
                let name = UnsafeBufferPointer(rebasing: buffer[start..<nameEnd])
                let value = UnsafeBufferPointer(rebasing: buffer[valueStart..<end])
                if !body(name, value) { return }
            }
            start = end + 1
        }
    }

    /// Encodes the fields back, for redirects and links.
    public var encoded: String {
        fields.map { "\(Self.encode($0.name))=\(Self.encode($0.value))" }.joined(separator: "&")
    }

    /// Percent-encodes everything but unreserved characters (RFC 3986 §2.3).
    public static func encode(_ string: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(string.utf8.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out.append(.percent)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension HTTPRequest {
    /// The query's fields.
    public var queryItems: URLEncodedForm { URLEncodedForm(parsing: head.query.utf8) }

    /// One query parameter, decoded.
    public func queryValue(_ name: String) -> String? { URLEncodedForm.firstValue(name, in: head.query.utf8) }
}
