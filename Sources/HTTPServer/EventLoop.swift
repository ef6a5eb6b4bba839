#if canImport(Glibc)
import CLinuxEvents
import Glibc
import Synchronization

/// One thread with one epoll instance: accepts connections from the shared listening socket, drives
/// their I/O, and runs the handler tasks of its connections as their task executor, so a request is
/// read, handled and answered on one thread without hops. A handler that awaits something slow
/// suspends its task; the loop goes on with other connections meanwhile.
final class EventLoop: TaskExecutor, @unchecked Sendable {
    /// Work handed in from other threads; the only state shared across threads, behind a mutex.
    private struct Inbox {
        var jobs: [UnownedJob] = []
        var work: [@Sendable () -> Void] = []
        var wakePending = false
        /// Once set, jobs go to the global executor instead: the thread is gone.
        var stopped = false
    }

    let context: ServerContext
    let index: Int
    private let epoll: Epoll
    private let inbox = Mutex(Inbox())
    /// The loop thread's pthread id while it runs, 0 before and after: ids are reused once a thread
    /// exits, and a stopped loop must never take another thread for its own.
    private let threadIdentity = Atomic<UInt>(0)

    // Loop-thread state from here on.
    private var connections: [Connection?] = []
    private var localJobs: [UnownedJob] = []
    private var spareJobs: [UnownedJob] = []
    private(set) var now = MonotonicClock.milliseconds()
    private var nextTick = 0
    private var listening = false
    private var acceptPausedUntil = 0
    /// Out of descriptors is reported once until an accept succeeds again, not every 100 ms.
    private var reportedOutOfResources = false
    private var drainDeadline = 0
    private(set) var isDraining = false
    private var running = true
    private var dateSecond = -1
    private var cachedDateLine: [UInt8] = []

    static let tickMilliseconds = 250
    /// Accepts per wake-up: small, so that a burst of connections spreads over the loops.
    static let acceptBatch = 8

    init(index: Int, context: ServerContext) throws(SocketError) {
        self.index = index
        self.context = context
        epoll = try Epoll()
    }

    // MARK: Threads

    /// Starts the loop's thread.
    func start() throws(SocketError) {
        let box = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, eventLoopThreadMain, box)
        guard result == 0 else {
            Unmanaged<EventLoop>.fromOpaque(box).release()
            throw SocketError(operation: "pthread_create", code: result)
        }
        pthread_detach(thread)
    }

    var isOnLoopThread: Bool { threadIdentity.load(ordering: .relaxed) == UInt(pthread_self()) }

    /// Runs `work` on the loop: now if already there, else at its next turn.
    func runOnLoop(_ work: @escaping @Sendable () -> Void) {
        if isOnLoopThread {
            work()
            return
        }
        if !post({ $0.work.append(work) }) { work() }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        if isOnLoopThread {
            localJobs.append(job)
            return
        }
        if !post({ $0.jobs.append(job) }) { globalConcurrentExecutor.enqueue(ExecutorJob(job)) }
    }

    /// Adds to the inbox from another thread and wakes the loop once per batch; false when the loop
    /// has stopped and the caller must run the work elsewhere.
    private func post(_ add: (inout Inbox) -> Void) -> Bool {
        let (accepted, wake) = inbox.withLock { inbox -> (Bool, Bool) in
            guard !inbox.stopped else { return (false, false) }
            add(&inbox)
            defer { inbox.wakePending = true }
            return (true, !inbox.wakePending)
        }
        if wake { epoll.wake() }
        return accepted
    }

    // MARK: The loop

    fileprivate func run() {
        threadIdentity.store(UInt(pthread_self()), ordering: .relaxed)
        startListening()
        while running {
            let timeout = localJobs.isEmpty ? Int32(max(0, min(Self.tickMilliseconds, nextTick - now))) : 0
            epoll.wait(timeoutMilliseconds: timeout) { fd, events in
                if fd == context.listenFD {
                    acceptConnections()
                } else if fd == epoll.wakeFD {
                    epoll.drainWakeups()
                } else if Int(fd) < connections.count, let connection = connections[Int(fd)] {
                    connection.handle(events: events)
                }
            }
            now = MonotonicClock.milliseconds()
            takeInbox()
            runJobs()
            if now >= nextTick { tick() }
        }
        stop()
    }

    private func takeInbox() {
        let (jobs, work) = inbox.withLock { inbox -> ([UnownedJob], [@Sendable () -> Void]) in
            inbox.wakePending = false
            defer {
                inbox.jobs.removeAll(keepingCapacity: true)
                inbox.work.removeAll()
            }
            return (inbox.jobs, inbox.work)
        }
        localJobs += jobs
        for item in work { item() }
    }

    /// Runs the ready jobs, and those they make ready, a bounded number of rounds so I/O is not starved.
    private func runJobs() {
        var rounds = 0
        while !localJobs.isEmpty && rounds < 8 {
            swap(&localJobs, &spareJobs)
            for job in spareJobs { job.runSynchronously(on: asUnownedTaskExecutor()) }
            spareJobs.removeAll(keepingCapacity: true)
            rounds += 1
        }
    }

    private func tick() {
        nextTick = now + Self.tickMilliseconds
        for case let connection? in connections {
            connection.checkDeadline(now: now)
            connection.trimMemory()
        }
        if !listening && !isDraining && acceptPausedUntil <= now && context.hasRoomForConnection {
            startListening()
        }
        if isDraining && (context.connectionCount(on: self) == 0 || now >= drainDeadline) {
            running = false
        }
    }

    // MARK: Accepting

    private func startListening() {
        guard !listening, !isDraining else { return }
        listening = epoll.add(context.listenFD, events: EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue)
    }

    private func stopListening() {
        guard listening else { return }
        epoll.remove(context.listenFD)
        listening = false
    }

    private func acceptConnections() {
        for _ in 0..<Self.acceptBatch {
            guard context.hasRoomForConnection else {
                // Backpressure: new connections wait in the kernel's queue until one closes.
                stopListening()
                return
            }
            switch Socket.accept(context.listenFD) {
            case .accepted(let fd, let remoteAddress):
                reportedOutOfResources = false
                register(Connection(fd: fd, remoteAddress: remoteAddress, loop: self))
            case .wouldBlock:
                return
            case .outOfResources:
                if !reportedOutOfResources {
                    context.configuration.errorLog?("out of file descriptors or memory: accepting paused, retried every 100 ms")
                    reportedOutOfResources = true
                }
                stopListening()
                acceptPausedUntil = now + 100
                nextTick = min(nextTick, acceptPausedUntil)
                return
            case .retry:
                continue
            }
        }
    }

    private func register(_ connection: Connection) {
        let slot = Int(connection.fd)
        if slot >= connections.count {
            connections += [Connection?](repeating: nil, count: max(slot + 1 - connections.count, connections.count))
        }
        connections[slot] = connection
        context.connectionOpened(on: self)
        epoll.add(connection.fd, events: Epoll.connectionEvents)
        connection.handle(events: EPOLLIN.rawValue)
    }

    /// Called by a connection as it closes.
    func connectionClosed(_ connection: Connection) {
        connections[Int(connection.fd)] = nil
        context.connectionClosed(on: self)
        if !listening && !isDraining && acceptPausedUntil <= now { startListening() }
    }

    // MARK: Shutdown

    /// Stops accepting, closes idle connections, and lets the others finish their request until the
    /// grace period ends.
    func beginShutdown(gracePeriodMilliseconds: Int) {
        guard !isDraining else { return }
        stopListening()
        isDraining = true
        drainDeadline = now + gracePeriodMilliseconds
        context.listenerReleased()
        for case let connection? in connections { connection.requestShutdown() }
        nextTick = now
    }

    private func stop() {
        for case let connection? in connections { connection.close() }
        threadIdentity.store(0, ordering: .relaxed)
        let leftover = inbox.withLock { inbox -> ([UnownedJob], [@Sendable () -> Void]) in
            inbox.stopped = true
            return (inbox.jobs, inbox.work)
        }
        // Tasks still suspended in handlers finish elsewhere; their connections are closed.
        for job in localJobs + leftover.0 { globalConcurrentExecutor.enqueue(ExecutorJob(job)) }
        for item in leftover.1 { item() }
        localJobs = []
        context.loopStopped()
    }

    // MARK: Helpers for connections

    /// `Date: …\r\n` for the current second, formatted once per second.
    func dateLine() -> [UInt8] {
        let second = MonotonicClock.wallSeconds()
        if second != dateSecond {
            dateSecond = second
            cachedDateLine = ResponseHeadWriter.dateLine(secondsSince1970: second)
        }
        return cachedDateLine
    }
}

/// The thread entry point; outside the class so that it carries no actor isolation.
private func eventLoopThreadMain(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    let loop = Unmanaged<EventLoop>.fromOpaque(argument!).takeRetainedValue()
    loop.run()
    return nil
}
#endif
