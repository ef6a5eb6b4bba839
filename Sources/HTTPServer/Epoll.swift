#if canImport(Glibc)
import CLinuxEvents
import Glibc

/// A thin owner of an epoll instance and of the eventfd that wakes it from other threads.
final class Epoll {
    let fd: Int32
    let wakeFD: Int32
    private var events: UnsafeMutablePointer<epoll_event>
    let capacity: Int

    init(capacity: Int = 256) throws(SocketError) {
        fd = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard fd >= 0 else { throw SocketError(operation: "epoll_create1", code: errno) }
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard wakeFD >= 0 else {
            let code = errno
            close(fd)
            throw SocketError(operation: "eventfd", code: code)
        }
        self.capacity = capacity
        events = .allocate(capacity: capacity)
        add(wakeFD, events: EPOLLIN.rawValue)
    }

    deinit {
        events.deallocate()
        close(wakeFD)
        close(fd)
    }

    /// Edge-triggered interest in reading, writing and hang-ups: one wake-up per change, and the
    /// connection reads or writes until EAGAIN.
    static let connectionEvents = EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue

    @discardableResult
    func add(_ target: Int32, events mask: UInt32) -> Bool {
        var event = epoll_event()
        event.events = mask
        event.data.fd = target
        return epoll_ctl(fd, EPOLL_CTL_ADD, target, &event) == 0
    }

    func remove(_ target: Int32) {
        var event = epoll_event()
        _ = epoll_ctl(fd, EPOLL_CTL_DEL, target, &event)
    }

    /// Waits up to `timeoutMilliseconds` (-1: forever) and calls `body` with each ready fd and its mask.
    func wait(timeoutMilliseconds: Int32, _ body: (Int32, UInt32) -> Void) {
        let count = epoll_wait(fd, events, Int32(capacity), timeoutMilliseconds)
        guard count > 0 else { return }
        for index in 0..<Int(count) {
            body(events[index].data.fd, events[index].events)
        }
    }

    /// Wakes a thread blocked in `wait`; safe from any thread.
    func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    /// Clears pending wake-ups.
    func drainWakeups() {
        var value: UInt64 = 0
        while read(wakeFD, &value, 8) == 8 {}
    }
}
#endif
