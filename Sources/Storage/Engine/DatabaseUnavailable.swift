/// The database cannot take the request now (busy, full, read-only, failing I/O, unreachable): a 503
/// for the visitor and an alert for the operator, not a bug. The one storage failure the app handles
/// by kind; it carries the engine's own error for the log line.
public struct DatabaseUnavailable: Error, CustomStringConvertible, Sendable {
    public let underlying: DatabaseError

    public init(_ underlying: DatabaseError) { self.underlying = underlying }

    public var description: String { "database unavailable: \(underlying)" }

    /// Runs `body`, turning an engine error that means "not now" into `DatabaseUnavailable`.
    static func mapping<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as DatabaseError where error.isUnavailable {
            throw DatabaseUnavailable(error)
        }
    }
}
