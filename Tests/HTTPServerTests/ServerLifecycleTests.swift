import Foundation
import Glibc
import TestSupport
import Testing

@testable import HTTPServer

/// Time limits, the connection cap and graceful shutdown, over real sockets: that the loop applies
/// `ConnectionState`'s rules (whose every case `ConnectionStateTests` covers without sockets).
@Suite("Server: limits and shutdown")
struct ServerLifecycleTests {
    @Test("a head that trickles in (slowloris) gets 408 when the header time limit runs out")
    func slowloris() async throws {
        try await TestServer.with({ $0.headerReadTimeout = .milliseconds(400) }) { _, port in
            let client = try RawClient(port: port, timeout: 0.05)
            // The drip runs on a thread of its own, so that a busy moment of the shared pool (other tests
            // start servers and simulators meanwhile) cannot stretch its pace or its clock.
            let (response, elapsed) = await withCheckedContinuation { (continuation: CheckedContinuation<(RawClient.Response?, Int), Never>) in
                Thread {
                    let start = ContinuousClock.now
                    client.send("GET /hello HTTP/1.1\r\nHost: t\r\n")
                    var response: RawClient.Response?
                    // 200 lines take at least 10 s: without a per-request limit no 408 would come in time.
                    for index in 0..<200 where response == nil {
                        // A line every 50 ms beats a per-read timer; only a per-request limit stops it.
                        client.send("X-Drip-\(index): x\r\n")
                        response = try? client.blockingReadResponse()
                    }
                    continuation.resume(returning: (response, elapsedMilliseconds(since: start)))
                }.start()
            }
            #expect(response?.status == 408)
            #expect(elapsed < 5000)
            client.setTimeout(3)
            #expect(await client.closesConnection())
        }
    }

    @Test("a body that stops arriving gets 408")
    func slowBody() async throws {
        try await TestServer.with({ $0.bodyReadTimeout = .milliseconds(300) }) { _, port in
            let client = try RawClient(port: port)
            client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc")
            #expect(try await client.readResponse().status == 408)
        }
    }

    @Test("a handler awaiting something slow does not hold up other connections")
    func slowHandlerDoesNotBlock() async throws {
        try await TestServer.with({ $0.eventLoopCount = 1 }) { _, port, gate in
            let slow = try RawClient(port: port)
            slow.send("GET /gate HTTP/1.1\r\nHost: t\r\n\r\n")
            try await Task.sleep(for: .milliseconds(50))
            // The only loop has a handler parked on the gate; the other connection must still be served.
            let fast = try RawClient(port: port)
            fast.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await fast.readResponse().text == "hello")
            await gate.open()
            #expect(try await slow.readResponse().text == "gate opened")
        }
    }

    @Test("past the connection cap the server stops accepting, and takes the waiting client once one closes")
    func connectionCap() async throws {
        try await TestServer.with({ $0.maxConnections = 2 }) { server, port in
            var first: RawClient? = try RawClient(port: port)
            let second = try RawClient(port: port)
            for client in [first!, second] {
                client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
                #expect(try await client.readResponse().status == 200)
            }
            // The kernel completes the handshake; the server leaves it in the backlog.
            let waiting = try RawClient(port: port, timeout: 0.5)
            waiting.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            await #expect(throws: RawClient.Failure.self) { try await waiting.readResponse() }
            #expect(server.openConnections == 2)
            first = nil
            waiting.setTimeout(3)
            #expect(try await waiting.readResponse().text == "hello")
        }
    }

    @Test("graceful shutdown finishes the request in flight, closes idle connections and refuses new ones")
    func gracefulShutdown() async throws {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.shutdownGracePeriod = .seconds(5)
        let gate = Gate()
        let server = HTTPServer(configuration: configuration, handler: TestServer.router(gate: gate))
        let port = try server.start()
        let idle = try RawClient(port: port, timeout: 3)
        idle.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        _ = try await idle.readResponse()
        let busy = try RawClient(port: port, timeout: 5)
        busy.send("GET /gate HTTP/1.1\r\nHost: t\r\n\r\n")
        try await Task.sleep(for: .milliseconds(100))

        server.shutdown()
        #expect(await idle.closesConnection())
        // The request was in flight when shutdown began; it still gets its answer, then the close.
        await gate.open()
        let response = try await busy.readResponse()
        #expect(response.text == "gate opened")
        #expect(response.header("Connection") == "close")
        await server.waitUntilStopped()
        #expect(throws: RawClient.Failure.self) { try RawClient(port: port) }
    }

    @Test("shutdown closes a request that outlives the grace period")
    func gracePeriodEnds() async throws {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.shutdownGracePeriod = .milliseconds(300)
        // The gate is never opened: the request would wait forever without the grace period.
        let server = HTTPServer(configuration: configuration, handler: TestServer.router(gate: Gate()))
        let port = try server.start()
        let busy = try RawClient(port: port, timeout: 10)
        busy.send("GET /gate HTTP/1.1\r\nHost: t\r\n\r\n")
        try await Task.sleep(for: .milliseconds(100))
        let start = ContinuousClock.now
        server.shutdown()
        await server.waitUntilStopped()
        #expect(elapsedMilliseconds(since: start) < 5000)
        #expect(await busy.closesConnection())
    }
}
