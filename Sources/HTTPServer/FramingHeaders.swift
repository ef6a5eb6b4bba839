/// The header fields that decide how a message is framed and whether the connection stays open
/// (Host, Content-Length, Transfer-Encoding, Connection, Expect), checked together once the head is read.
struct FramingHeaders {
    /// What the parser collected while it read the fields, before judging them.
    struct Raw {
        var hostCount = 0
        var contentLengths: [UnsafeBufferPointer<UInt8>] = []
        var transferEncodings: [UnsafeBufferPointer<UInt8>] = []
        var connectionClose = false
        var connectionKeepAlive = false
        var expectations: [UnsafeBufferPointer<UInt8>] = []

        mutating func note(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
            switch name.count {
            case 4 where ByteClass.equalsIgnoringCase(name, "host"):
                hostCount += 1
            case 6 where ByteClass.equalsIgnoringCase(name, "expect"):
                expectations.append(value)
            case 10 where ByteClass.equalsIgnoringCase(name, "connection"):
                for option in Self.listElements(value) {
                    if ByteClass.equalsIgnoringCase(option, "close") { connectionClose = true }
                    if ByteClass.equalsIgnoringCase(option, "keep-alive") { connectionKeepAlive = true }
                }
            case 14 where ByteClass.equalsIgnoringCase(name, "content-length"):
                contentLengths.append(value)
            case 17 where ByteClass.equalsIgnoringCase(name, "transfer-encoding"):
                transferEncodings.append(value)
            default:
                break
            }
        }

        /// The elements of a comma-separated list (RFC 9110 §5.6.1), trimmed, empty ones dropped.
        static func listElements(_ value: UnsafeBufferPointer<UInt8>) -> [UnsafeBufferPointer<UInt8>] {
            value.split(separator: .comma).compactMap { element in
                let slice = element[...].trimmingOptionalWhitespace
                return slice.isEmpty ? nil : UnsafeBufferPointer(rebasing: slice)
            }
        }
    }

    /// The largest Content-Length we can represent without overflow.
    static let maxContentLengthDigits = 18

    var framing: HTTPRequestHead.BodyFraming
    var keepAlive: Bool
    var expectsContinue: Bool

    init(_ raw: Raw, version: HTTPVersion) throws(HTTPParseError) {
        if raw.hostCount > 1 { throw .multipleHosts }
        if raw.hostCount == 0 && version == .http1_1 { throw .missingHost }
        framing = try Self.framing(raw, version: version)
        keepAlive = version == .http1_1 ? !raw.connectionClose : (raw.connectionKeepAlive && !raw.connectionClose)
        expectsContinue = false
        for expectation in raw.expectations {
            guard ByteClass.equalsIgnoringCase(expectation, "100-continue") else { throw .unsupportedExpectation }
            expectsContinue = version == .http1_1
        }
    }

    private static func framing(_ raw: Raw, version: HTTPVersion) throws(HTTPParseError) -> HTTPRequestHead.BodyFraming {
        if !raw.transferEncodings.isEmpty {
            if !raw.contentLengths.isEmpty { throw .contentLengthWithTransferEncoding }
            // A 1.0 message with Transfer-Encoding has faulty framing (RFC 9112 §6.1).
            if version == .http1_0 { throw .invalidHeader }
            let codings = raw.transferEncodings.flatMap(Raw.listElements)
            guard codings.count == 1, ByteClass.equalsIgnoringCase(codings[0], "chunked") else {
                throw .unsupportedTransferEncoding
            }
            return .chunked
        }
        var length: Int?
        for value in raw.contentLengths {
            for element in Raw.listElements(value) {
                let parsed = try parseLength(element)
                if let length, length != parsed { throw .conflictingContentLength }
                length = parsed
            }
        }
        if !raw.contentLengths.isEmpty && length == nil { throw .invalidContentLength }
        guard let length, length > 0 else { return .none }
        return .contentLength(length)
    }

    private static func parseLength(_ digits: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> Int {
        guard !digits.isEmpty, digits.count <= maxContentLengthDigits else { throw .invalidContentLength }
        var value = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { throw .invalidContentLength }
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return value
    }
}
