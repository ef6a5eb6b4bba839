/// Percent-decoding on bytes. Foundation's `removingPercentEncoding` costs about 25 times more on
/// Linux (docs/decisions.md), so the request path never uses it. The work is done on
/// contiguous buffers, never through generic collections: called from another module, generic code
/// runs unspecialised and costs several times more.
public enum PercentDecoding {
    /// How a malformed escape (`%`, `%4`, `%zz`) is treated.
    public enum Mode: Sendable {
        /// Kept as it is, as browsers do for form data.
        case lenient
        /// Refused: the whole decode answers nil (paths, where a lenient reading could hide `..`).
        case strict
    }

    /// Decodes `bytes`; `+` becomes a space only when `plusAsSpace` (form data, not paths).
    public static func decode<C: Collection>(_ bytes: C, plusAsSpace: Bool, mode: Mode = .lenient) -> [UInt8]? where C.Element == UInt8 {
        withContiguousBytes(bytes) { decode(buffer: $0, plusAsSpace: plusAsSpace, mode: mode) }
    }

    /// Decodes to a string (invalid UTF-8 becomes U+FFFD); lenient about malformed escapes.
    public static func decodeString<C: Collection>(_ bytes: C, plusAsSpace: Bool) -> String where C.Element == UInt8 {
        withContiguousBytes(bytes) { decodeString(buffer: $0, plusAsSpace: plusAsSpace) }
    }

    static func decodeString(buffer: UnsafeBufferPointer<UInt8>, plusAsSpace: Bool) -> String {
        // Most names and values have nothing to decode.
        if !buffer.contains(where: { $0 == .percent || ($0 == .plus && plusAsSpace) }) {
            return String(decoding: buffer, as: UTF8.self)
        }
        return String(decoding: decode(buffer: buffer, plusAsSpace: plusAsSpace, mode: .lenient) ?? [], as: UTF8.self)
    }

    static func decode(buffer: UnsafeBufferPointer<UInt8>, plusAsSpace: Bool, mode: Mode) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(buffer.count)
        var index = 0
        while index < buffer.count {
            let byte = buffer[index]
            index += 1
            if byte == .plus && plusAsSpace {
                out.append(.space)
            } else if byte == .percent {
                if index + 1 < buffer.count, let high = ByteClass.hexValue(buffer[index]), let low = ByteClass.hexValue(buffer[index + 1]) {
                    out.append(high << 4 | low)
                    index += 2
                    continue
                }
                if mode == .strict { return nil }
                out.append(byte)
            } else {
                out.append(byte)
            }
        }
        return out
    }
}

/// Runs `body` over the bytes of `collection` as one buffer, copying only when they are not contiguous.
@inline(__always)
func withContiguousBytes<C: Collection, R>(_ collection: C, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R where C.Element == UInt8 {
    if let result = collection.withContiguousStorageIfAvailable(body) { return result }
    return Array(collection).withUnsafeBufferPointer(body)
}
