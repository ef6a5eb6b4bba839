/// Sizes past which a request is refused instead of buffered.
public struct ParserLimits: Sendable {
    /// The longest request target accepted; longer gets 414.
    public var maxURILength: Int = 8 * 1024
    /// The most bytes of header fields (after the request line) accepted; more gets 431.
    public var maxHeaderBytes: Int = 16 * 1024
    /// The most header fields accepted; more gets 431.
    public var maxHeaderCount: Int = 100
    /// The most bytes of chunk extensions and trailers accepted in a chunked body.
    public var maxChunkMetadataBytes: Int = 4 * 1024

    public init() {}
}
