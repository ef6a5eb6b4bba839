#if canImport(Glibc)
import Glibc
#endif

/// The bytes read from a connection and not yet parsed. Grows up to a cap, compacts in place, and is
/// released when empty, so that an idle connection holds no buffer.
struct InboundBuffer {
    enum ReadOutcome {
        case read(Int)
        case wouldBlock
        case endOfStream
        /// The cap is reached; parse or refuse before reading more.
        case full
        case failed
    }

    static let initialCapacity = 4096

    private var storage: [UInt8] = []
    private var start = 0
    private var end = 0
    let maxCapacity: Int

    init(maxCapacity: Int) { self.maxCapacity = maxCapacity }

    var count: Int { end - start }
    var isEmpty: Bool { start == end }
    var capacity: Int { storage.count }

    mutating func consume(_ bytes: Int) {
        start += bytes
        if start == end {
            start = 0
            end = 0
        }
    }

    /// Gives the unconsumed bytes to `body`.
    func withBytes<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        try storage.withUnsafeBufferPointer { (all) throws(E) -> R in
            try body(UnsafeBufferPointer(rebasing: all[start..<end]))
        }
    }

    /// Frees the storage when nothing is buffered: idle keep-alive connections then cost no buffer.
    mutating func releaseIfEmpty() {
        if isEmpty { storage = [] }
    }

    /// One `read(2)` into free space, making room first.
    mutating func read(from fd: Int32) -> ReadOutcome {
        guard makeRoom() else { return .full }
        let count = storage.withUnsafeMutableBytes { raw in
            Glibc.read(fd, raw.baseAddress! + end, raw.count - end)
        }
        if count > 0 {
            end += count
            return .read(count)
        }
        if count == 0 { return .endOfStream }
        switch errno {
        case EAGAIN, EWOULDBLOCK: return .wouldBlock
        case EINTR: return .read(0)
        default: return .failed
        }
    }

    private mutating func makeRoom() -> Bool {
        if storage.isEmpty {
            storage = [UInt8](repeating: 0, count: min(Self.initialCapacity, maxCapacity))
        }
        if end < storage.count { return true }
        if start > 0 {
            let live = end - start
            storage.withUnsafeMutableBytes { raw in
                _ = memmove(raw.baseAddress!, raw.baseAddress! + start, live)
            }
            start = 0
            end = live
            return true
        }
        guard storage.count < maxCapacity else { return false }
        storage += [UInt8](repeating: 0, count: min(storage.count, maxCapacity - storage.count))
        return true
    }
}
