import CPostgres
import Foundation

/// The current row of a libpq result, read from its text format.
final class PostgresRow: SQLRowSource {
    private let result: OpaquePointer
    var row: Int32 = 0

    init(result: OpaquePointer) { self.result = result }

    func columnName(_ column: Int32) -> String { String(cString: PQfname(result, column)) }
    func columnIsNull(_ column: Int32) -> Bool { PQgetisnull(result, row, column) != 0 }

    func columnText(_ column: Int32) -> String {
        let count = Int(PQgetlength(result, row, column))
        guard let bytes = PQgetvalue(result, row, column) else { return "" }
        return bytes.withMemoryRebound(to: UInt8.self, capacity: count) {
            String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
        }
    }

    /// Integers, and booleans as 1 and 0 (PostgreSQL prints them `t` and `f`).
    func columnInteger(_ column: Int32) -> Int64 {
        let text = columnText(column)
        switch text {
        case "t": return 1
        case "f": return 0
        default: return Int64(text) ?? Int64(Double(text) ?? 0)
        }
    }

    func columnReal(_ column: Int32) -> Double {
        let text = columnText(column)
        switch text {
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default: return Double(text) ?? 0
        }
    }

    /// `bytea` in its hex text form, `\x0a1b…`.
    func columnBlob(_ column: Int32) -> Data {
        let text = Array(columnText(column).utf8.dropFirst(2))
        var data = Data(capacity: text.count / 2)
        var index = 0
        while index + 1 < text.count {
            data.append(Self.nibble(text[index]) << 4 | Self.nibble(text[index + 1]))
            index += 2
        }
        return data
    }

    private static func nibble(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        default: return byte - UInt8(ascii: "A") + 10
        }
    }
}
