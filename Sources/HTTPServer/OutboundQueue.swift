#if canImport(Glibc)
import Glibc

/// Bytes owed to a connection: at most a response head and its body, written together with one
/// `sendmsg` (gathered), so that a response leaves in one segment where it fits.
struct OutboundQueue {
    enum WriteOutcome {
        case wrote
        case wouldBlock
        case failed
    }

    private var chunks: [[UInt8]] = []
    /// How much of the first chunk is already written.
    private var offset = 0

    var isEmpty: Bool { chunks.isEmpty }

    mutating func append(_ bytes: [UInt8]) {
        if !bytes.isEmpty { chunks.append(bytes) }
    }

    mutating func removeAll() {
        chunks = []
        offset = 0
    }

    /// One gathered write of the first two chunks; MSG_NOSIGNAL, because a peer that went away must
    /// not raise SIGPIPE.
    mutating func write(to fd: Int32) -> WriteOutcome {
        let written: Int
        if chunks.count >= 2 {
            written = chunks[0].withUnsafeBytes { first in
                chunks[1].withUnsafeBytes { second in
                    var vectors = (
                        iovec(iov_base: UnsafeMutableRawPointer(mutating: first.baseAddress! + offset), iov_len: first.count - offset),
                        iovec(iov_base: UnsafeMutableRawPointer(mutating: second.baseAddress!), iov_len: second.count)
                    )
                    return withUnsafeMutableBytes(of: &vectors) { raw in
                        var message = msghdr()
                        message.msg_iov = raw.baseAddress!.assumingMemoryBound(to: iovec.self)
                        message.msg_iovlen = 2
                        return sendmsg(fd, &message, Int32(MSG_NOSIGNAL))
                    }
                }
            }
        } else {
            written = chunks[0].withUnsafeBytes { first in
                send(fd, first.baseAddress! + offset, first.count - offset, Int32(MSG_NOSIGNAL))
            }
        }
        guard written >= 0 else {
            switch errno {
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case EINTR: return .wrote
            default: return .failed
            }
        }
        consume(written)
        return .wrote
    }

    private mutating func consume(_ count: Int) {
        var rest = count
        while rest > 0, !chunks.isEmpty {
            let available = chunks[0].count - offset
            if rest >= available {
                rest -= available
                chunks.removeFirst()
                offset = 0
            } else {
                offset += rest
                rest = 0
            }
        }
    }
}
#endif
