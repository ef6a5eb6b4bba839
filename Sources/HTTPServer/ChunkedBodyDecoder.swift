/// Decodes a `Transfer-Encoding: chunked` body (RFC 9112 §7.1) incrementally, from whatever bytes have
/// arrived. Chunk extensions and trailer fields are checked and dropped; their size is bounded.
public struct ChunkedBodyDecoder: Sendable {
    private enum State: Sendable {
        case size(value: Int, digits: Int)
        case extensions(size: Int)
        case sizeLineFeed(size: Int)
        case data(remaining: Int)
        case dataCarriageReturn
        case dataLineFeed
        case trailerLineStart
        case trailerLine
        case trailerLineFeed(empty: Bool)
        case done
    }

    /// The most hex digits in a chunk size; more could overflow.
    static let maxSizeDigits = 15

    private var state: State = .size(value: 0, digits: 0)
    private var metadataBytes = 0
    private let maxBodyBytes: Int
    private let maxMetadataBytes: Int

    public init(maxBodyBytes: Int, maxMetadataBytes: Int = ParserLimits().maxChunkMetadataBytes) {
        self.maxBodyBytes = maxBodyBytes
        self.maxMetadataBytes = maxMetadataBytes
    }

    /// Whether the last chunk and the trailer section have been read.
    public var isComplete: Bool {
        if case .done = state { return true }
        return false
    }

    /// Consumes what it can of `bytes`, appending chunk data to `body`; returns how many bytes it used.
    public mutating func decode(_ bytes: UnsafeBufferPointer<UInt8>, into body: inout [UInt8]) throws(HTTPParseError) -> Int {
        var index = 0
        while index < bytes.count {
            if case .data(let remaining) = state {
                let take = min(remaining, bytes.count - index)
                body.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<(index + take)]))
                index += take
                state = remaining == take ? .dataCarriageReturn : .data(remaining: remaining - take)
                continue
            }
            if case .done = state { break }
            try step(bytes[index], body: body)
            index += 1
        }
        return index
    }

    /// Advances the state machine over one byte outside chunk data.
    private mutating func step(_ byte: UInt8, body: [UInt8]) throws(HTTPParseError) {
        switch state {
        case .size(let value, let digits):
            if let digit = ByteClass.hexValue(byte) {
                guard digits < Self.maxSizeDigits else { throw .invalidChunk }
                let size = value << 4 | Int(digit)
                if body.count + size > maxBodyBytes { throw .bodyTooLarge }
                state = .size(value: size, digits: digits + 1)
            } else if digits > 0 && (byte == .semicolon || byte == .space || byte == .tab) {
                try countMetadata()
                state = .extensions(size: value)
            } else if digits > 0 && byte == .cr {
                state = .sizeLineFeed(size: value)
            } else {
                throw .invalidChunk
            }
        case .extensions(let size):
            try countMetadata()
            if byte == .cr {
                state = .sizeLineFeed(size: size)
            } else {
                try checkFieldByte(byte)
            }
        case .sizeLineFeed(let size):
            guard byte == .lf else { throw .invalidChunk }
            state = size == 0 ? .trailerLineStart : .data(remaining: size)
        case .dataCarriageReturn:
            guard byte == .cr else { throw .invalidChunk }
            state = .dataLineFeed
        case .dataLineFeed:
            guard byte == .lf else { throw .invalidChunk }
            state = .size(value: 0, digits: 0)
        case .trailerLineStart:
            if byte == .cr {
                state = .trailerLineFeed(empty: true)
            } else {
                try countMetadata()
                try checkFieldByte(byte)
                state = .trailerLine
            }
        case .trailerLine:
            try countMetadata()
            if byte == .cr {
                state = .trailerLineFeed(empty: false)
            } else {
                try checkFieldByte(byte)
            }
        case .trailerLineFeed(let empty):
            guard byte == .lf else { throw .invalidChunk }
            state = empty ? .done : .trailerLineStart
        case .data, .done:
            break
        }
    }

    private mutating func countMetadata() throws(HTTPParseError) {
        metadataBytes += 1
        if metadataBytes > maxMetadataBytes { throw .invalidChunk }
    }

    /// Extensions and trailer lines: no bare LF, no control characters but tab.
    private func checkFieldByte(_ byte: UInt8) throws(HTTPParseError) {
        if (byte < 0x20 && byte != .tab) || byte == 0x7F { throw .invalidChunk }
    }
}
