import Synchronization

/// Members whose stored data just changed (profile, language, consents, erasure), reported by the
/// stores after the commit that changed them, so that a cache of member data is dropped in one place,
/// tied to the write. On PostgreSQL the pool also hears other instances' changes and reports them here.
public final class MemberChangeFeed: Sendable {
    private let listeners = Mutex<[@Sendable (String) -> Void]>([])

    public init() {}

    /// Calls `listener` with the member's `sub` after every change, from the writing task.
    public func listen(_ listener: @escaping @Sendable (String) -> Void) {
        listeners.withLock { $0.append(listener) }
    }

    /// Tells every listener that `sub` changed.
    public func changed(_ sub: String) {
        for listener in listeners.withLock({ $0 }) { listener(sub) }
    }
}
