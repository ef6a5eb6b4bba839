/// A value read back from the database that this version of the code does not know: a role, a status
/// or an ending written by a newer instance during a rolling upgrade on a shared database. It is
/// refused, never read as another value (an unknown role taken for till staff would be a hole), and
/// the error names the table, the column and the value (none of them personal).
public struct UnknownStoredValue: Error, CustomStringConvertible, Sendable, Equatable {
    public let table: String
    public let column: String
    public let value: String

    public init(table: String, column: String, value: String) {
        self.table = table
        self.column = column
        self.value = value
    }

    public var description: String {
        "\(table).\(column) holds '\(value)', which this version of Velkommen does not know (a newer version wrote it?)"
    }
}

extension RawRepresentable where RawValue == String {
    /// The value stored in `table.column`, or `UnknownStoredValue` naming it.
    static func stored(_ text: String, table: String, column: String) throws(UnknownStoredValue) -> Self {
        guard let value = Self(rawValue: text) else { throw UnknownStoredValue(table: table, column: column, value: String(text.prefix(64))) }
        return value
    }
}
