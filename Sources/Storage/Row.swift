/// The current row of a running statement. Valid only inside the closure it is handed to: the next
/// step overwrites it, so never keep one.
public struct Row {
    let statement: Statement

    /// The value of column `column` (0-based) as `T`; NULL reads as `nil` only when `T` is optional.
    public subscript<T: SQLReadable>(_ column: Int32, as type: T.Type = T.self) -> T {
        get throws { try T(row: self, column: column) }
    }

    public func isNull(_ column: Int32) -> Bool { statement.columnIsNull(column) }

    func requireNotNull(_ column: Int32) throws {
        if statement.columnIsNull(column) { throw StorageError.unexpectedNull(column: statement.columnName(column)) }
    }

    func requireInteger(_ column: Int32) throws -> Int64 {
        try requireNotNull(column)
        return statement.columnInteger(column)
    }
}
