import Foundation

/// The current row of a running statement. Valid only inside the closure it is handed to: the next
/// step overwrites it, so never keep one.
public struct Row {
    let source: any SQLRowSource

    /// The value of column `column` (0-based) as `T`; NULL reads as `nil` only when `T` is optional.
    public subscript<T: SQLReadable>(_ column: Int32, as type: T.Type = T.self) -> T {
        get throws { try T(row: self, column: column) }
    }

    public func isNull(_ column: Int32) -> Bool { source.columnIsNull(column) }

    func requireNotNull(_ column: Int32) throws {
        if source.columnIsNull(column) { throw StorageError.unexpectedNull(column: source.columnName(column)) }
    }

    func requireInteger(_ column: Int32) throws -> Int64 {
        try requireNotNull(column)
        return source.columnInteger(column)
    }
}

/// The current row's columns, as an engine hands them out (0-based).
protocol SQLRowSource: AnyObject {
    func columnName(_ column: Int32) -> String
    func columnIsNull(_ column: Int32) -> Bool
    func columnInteger(_ column: Int32) -> Int64
    func columnReal(_ column: Int32) -> Double
    func columnText(_ column: Int32) -> String
    func columnBlob(_ column: Int32) -> Data
}
