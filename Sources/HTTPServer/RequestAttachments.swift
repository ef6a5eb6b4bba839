/// Values a middleware hands to the handlers after it (the staff session an access rule checked, the
/// signed-in member), by key type: typed, so a handler cannot read one as another.
public struct RequestAttachments: Sendable {
    private var values: [ObjectIdentifier: any Sendable] = [:]

    public init() {}

    public subscript<Key: RequestAttachmentKey>(_ key: Key.Type) -> Key.Value? {
        get { values[ObjectIdentifier(key)] as? Key.Value }
        set { values[ObjectIdentifier(key)] = newValue }
    }
}

/// Names one kind of attachment and its type.
public protocol RequestAttachmentKey {
    associatedtype Value: Sendable
}
