import Foundation

/// A statement's parameters in PostgreSQL's text format; the server infers each one's type from
/// where it stands in the SQL.
final class PostgresParameters: SQLParameterSink {
    private var values: [String?]

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func bindInteger(_ value: Int64, at index: Int32) throws { values[Int(index) - 1] = String(value) }

    func bindReal(_ value: Double, at index: Int32) throws {
        // Swift prints the shortest text that reads back as the same Double; PostgreSQL reads it so too.
        if value.isNaN {
            values[Int(index) - 1] = "NaN"
        } else if value.isInfinite {
            values[Int(index) - 1] = value < 0 ? "-Infinity" : "Infinity"
        } else {
            values[Int(index) - 1] = "\(value)"
        }
    }

    func bindNull(at index: Int32) throws { values[Int(index) - 1] = nil }

    func bindText(_ value: String, at index: Int32) throws {
        // PostgreSQL text cannot hold NUL; SQLite keeps it. A NUL only ever comes from hostile input,
        // so it is stored as U+FFFD rather than failing the request.
        values[Int(index) - 1] = value.contains("\u{0}") ? value.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : value
    }

    func bindBlob(_ value: Data, at index: Int32) throws {
        // bytea's hex input form, `\x0a1b…`.
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = Array("\\x".utf8)
        text.reserveCapacity(2 + value.count * 2)
        for byte in value { text += [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]] }
        values[Int(index) - 1] = String(decoding: text, as: UTF8.self)
    }

    /// Calls `body` with the values as C strings (NULL for SQL NULL), valid only during the call.
    func withCValues<T>(_ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> T) -> T {
        var pointers: [UnsafeMutablePointer<CChar>?] = values.map { $0.map { strdup($0) } }
        defer { for pointer in pointers { free(pointer) } }
        return pointers.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: max(1, buffer.count)) { body($0) }
        }
    }
}
