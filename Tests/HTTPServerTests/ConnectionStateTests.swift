import Testing

@testable import HTTPServer

/// The connection's rules with time passed in: which limit runs in each phase, what a passed deadline
/// does, when a connection is kept, closed or lingers. No socket, no clock, no sleeping.
@Suite("Connection state: phases, deadlines, keep-alive and shutdown")
struct ConnectionStateTests {
    static let timeouts = ConnectionState.Timeouts(headerRead: 10_000, bodyRead: 30_000, idle: 60_000, write: 20_000, linger: 2_000)

    func fresh(at now: Int = 1_000) -> ConnectionState { ConnectionState(timeouts: Self.timeouts, now: now) }

    @Test("a silent new connection is closed when the header limit passes, not a millisecond before")
    func silentConnection() {
        let state = fresh(at: 1_000)
        #expect(state.deadlinePassed(now: 10_999, inboundEmpty: true) == .nothing)
        #expect(state.deadlinePassed(now: 11_000, inboundEmpty: true) == .close)
    }

    @Test("a head that trickles in gets 408: the header limit counts from its first byte, not from each read")
    func slowloris() {
        var state = fresh(at: 0)
        state.headStarted(now: 500)
        #expect(state.deadline == 10_500)
        // Later reads while the head is still incomplete do not move it (Connection calls headStarted
        // only when bytes land in an empty buffer).
        #expect(state.deadlinePassed(now: 10_500, inboundEmpty: false) == .requestTimeout)
    }

    @Test("a body that stops arriving gets 408 after the body limit")
    func slowBody() {
        var state = fresh(at: 0)
        state.headParsed(hasBody: true, now: 100)
        #expect(state.phase == .readingBody)
        #expect(state.deadlinePassed(now: 30_099, inboundEmpty: true) == .nothing)
        #expect(state.deadlinePassed(now: 30_100, inboundEmpty: true) == .requestTimeout)
    }

    @Test("a handler runs on no limit of ours, however long it takes")
    func handlerHasNoDeadline() {
        var state = fresh(at: 0)
        state.headParsed(hasBody: false, now: 5)
        #expect(state.phase == .responding && state.deadline == 0)
        #expect(state.deadlinePassed(now: 10_000_000, inboundEmpty: true) == .nothing)
    }

    @Test("after a kept-alive response the idle limit runs; with pipelined bytes waiting, the header limit")
    func keepAliveThenIdle() {
        var state = fresh(at: 0)
        state.headParsed(hasBody: false, now: 0)
        let kept = state.responseQueued(clientKeepsAlive: true, framed: true, draining: false, streamed: false)
        #expect(kept)
        let next = state.flushed(now: 200, inboundEmpty: true)
        #expect(next == .readNextRequest)
        #expect(state.phase == .readingHead && state.deadline == 60_200)
        #expect(state.deadlinePassed(now: 60_200, inboundEmpty: true) == .close, "idle: a plain close, no 408")

        var pipelined = fresh(at: 0)
        pipelined.headParsed(hasBody: false, now: 0)
        _ = pipelined.responseQueued(clientKeepsAlive: true, framed: true, draining: false, streamed: false)
        let next2 = pipelined.flushed(now: 200, inboundEmpty: false)
        #expect(next2 == .readNextRequest)
        #expect(pipelined.deadline == 10_200)
    }

    @Test("a response the client did not keep alive, or that cannot be framed, closes once flushed")
    func closeAfterResponse() {
        for (keeps, framed) in [(false, true), (true, false)] {
            var state = fresh()
            state.headParsed(hasBody: false, now: 0)
            let kept = state.responseQueued(clientKeepsAlive: keeps, framed: framed, draining: false, streamed: false)
            #expect(!kept)
            let next = state.flushed(now: 1, inboundEmpty: true)
            #expect(next == .close)
        }
    }

    @Test("a write the kernel does not take runs the write limit; the stall then closes")
    func stalledWrite() {
        var state = fresh(at: 0)
        state.headParsed(hasBody: false, now: 0)
        _ = state.responseQueued(clientKeepsAlive: true, framed: true, draining: false, streamed: false)
        state.writeBlocked(now: 50)
        #expect(state.deadlinePassed(now: 20_049, inboundEmpty: true) == .nothing)
        #expect(state.deadlinePassed(now: 20_050, inboundEmpty: true) == .close)
    }

    @Test("an error response lingers, once: a second failure queues nothing, and the linger limit closes")
    func errorLingers() {
        var state = fresh(at: 0)
        state.headStarted(now: 0)
        let queued = state.failed()
        #expect(queued)
        let next = state.flushed(now: 10, inboundEmpty: false)
        #expect(next == .linger)
        #expect(state.phase == .lingering)
        let queued2 = state.failed()
        #expect(!queued2, "no second error response")
        #expect(state.deadlinePassed(now: 2_009, inboundEmpty: true) == .nothing)
        #expect(state.deadlinePassed(now: 2_010, inboundEmpty: true) == .close)
    }

    @Test("a streamed body wakes its producer after each flush, on no write limit; it ends the response when done")
    func streaming() {
        var state = fresh(at: 0)
        state.headParsed(hasBody: false, now: 0)
        let kept = state.responseQueued(clientKeepsAlive: true, framed: true, draining: false, streamed: true)
        #expect(kept)
        state.writeBlocked(now: 10)
        let next = state.flushed(now: 20, inboundEmpty: true)
        #expect(next == .resumeStream)
        #expect(state.deadline == 0)
        let ended = state.streamFinished()
        #expect(ended)
        let ended2 = state.streamFinished()
        #expect(!ended2)
        let next2 = state.flushed(now: 30, inboundEmpty: true)
        #expect(next2 == .readNextRequest)
    }

    @Test("shutdown closes an idle connection at once, and a busy one after its response")
    func shutdown() {
        var idle = fresh()
        let closesNow = idle.shutdown(idle: true)
        #expect(closesNow)

        var busy = fresh(at: 0)
        busy.headParsed(hasBody: false, now: 0)
        let closesNow2 = busy.shutdown(idle: false)
        #expect(!closesNow2)
        let kept = busy.responseQueued(clientKeepsAlive: true, framed: true, draining: false, streamed: false)
        #expect(!kept, "no keep-alive once shutting down")
        let next = busy.flushed(now: 1, inboundEmpty: true)
        #expect(next == .close)

        var draining = fresh(at: 0)
        draining.headParsed(hasBody: false, now: 0)
        let kept2 = draining.responseQueued(clientKeepsAlive: true, framed: true, draining: true, streamed: false)
        #expect(!kept2)
    }

    @Test("closing twice closes once, and a closed connection has no deadline")
    func closeOnce() {
        var state = fresh()
        let wasOpen = state.closed()
        #expect(wasOpen)
        let wasOpen2 = state.closed()
        #expect(!wasOpen2)
        #expect(state.deadlinePassed(now: .max, inboundEmpty: true) == .nothing)
        let next = state.flushed(now: 0, inboundEmpty: true)
        #expect(next == .nothing)
    }
}
