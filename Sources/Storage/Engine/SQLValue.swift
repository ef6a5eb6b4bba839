import Foundation

/// Where a statement's parameters go: SQLite's prepared statement, or PostgreSQL's parameter list.
public protocol SQLParameterSink: AnyObject {
    func bindInteger(_ value: Int64, at index: Int32) throws
    func bindReal(_ value: Double, at index: Int32) throws
    func bindNull(at index: Int32) throws
    func bindText(_ value: String, at index: Int32) throws
    func bindBlob(_ value: Data, at index: Int32) throws
}

/// A Swift value that can be bound to a statement parameter.
public protocol SQLBindable: Sendable {
    func bind(to statement: any SQLParameterSink, at index: Int32) throws
}

/// A Swift value that can be read from a result column.
public protocol SQLReadable {
    init(row: Row, column: Int32) throws
}

/// A value both ways.
public typealias SQLValue = SQLBindable & SQLReadable

extension Int: SQLBindable, SQLReadable {
    public func bind(to statement: any SQLParameterSink, at index: Int32) throws { try statement.bindInteger(Int64(self), at: index) }
    public init(row: Row, column: Int32) throws { self = Int(try row.requireInteger(column)) }
}

extension Int64: SQLBindable, SQLReadable {
    public func bind(to statement: any SQLParameterSink, at index: Int32) throws { try statement.bindInteger(self, at: index) }
    public init(row: Row, column: Int32) throws { self = try row.requireInteger(column) }
}

extension Double: SQLBindable, SQLReadable {
    public func bind(to statement: any SQLParameterSink, at index: Int32) throws { try statement.bindReal(self, at: index) }
    public init(row: Row, column: Int32) throws {
        try row.requireNotNull(column)
        self = row.source.columnReal(column)
    }
}

extension Bool: SQLBindable, SQLReadable {
    public func bind(to statement: any SQLParameterSink, at index: Int32) throws { try statement.bindInteger(self ? 1 : 0, at: index) }
    public init(row: Row, column: Int32) throws { self = try row.requireInteger(column) != 0 }
}

extension String: SQLBindable, SQLReadable {
    public func bind(to statement: any SQLParameterSink, at index: Int32) throws { try statement.bindText(self, at: index) }
    public init(row: Row, column: Int32) throws {
        try row.requireNotNull(column)
        self = row.source.columnText(column)
    }
}

extension Data: SQLBindable, SQLReadable {
    public func bind(to statement: any SQLParameterSink, at index: Int32) throws { try statement.bindBlob(self, at: index) }
    public init(row: Row, column: Int32) throws {
        try row.requireNotNull(column)
        self = row.source.columnBlob(column)
    }
}

/// Dates are stored as REAL (double precision) seconds since 1970 (UTC): `SQLDialect.utcDay` groups them by day
/// without parsing text, and sub-millisecond order is kept.
extension Date: SQLBindable, SQLReadable {
    public func bind(to statement: any SQLParameterSink, at index: Int32) throws { try statement.bindReal(timeIntervalSince1970, at: index) }
    public init(row: Row, column: Int32) throws {
        try row.requireNotNull(column)
        self = Date(timeIntervalSince1970: row.source.columnReal(column))
    }
}

extension Optional: SQLBindable where Wrapped: SQLBindable {
    public func bind(to statement: any SQLParameterSink, at index: Int32) throws {
        switch self {
        case .none: try statement.bindNull(at: index)
        case .some(let value): try value.bind(to: statement, at: index)
        }
    }
}

extension Optional: SQLReadable where Wrapped: SQLReadable {
    public init(row: Row, column: Int32) throws {
        self = row.isNull(column) ? nil : try Wrapped(row: row, column: column)
    }
}

/// Binds SQL NULL; `nil` literals need a concrete type, so `SQLNull()` stands in for one.
public struct SQLNull: SQLBindable {
    public init() {}
    public func bind(to statement: any SQLParameterSink, at index: Int32) throws { try statement.bindNull(at: index) }
}
