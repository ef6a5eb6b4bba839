import HTTPServer
import Synchronization
import TestSupport

/// Starts a server on a free port with the routes the end-to-end tests use, runs `body`, and shuts
/// the server down gracefully afterwards.
enum TestServer {
    static func router(gate: Gate) -> Router {
        var router = Router()
        router.get("/hello") { _ in .text("hello") }
        router.post("/echo") { request in
            var response = HTTPResponse(status: .ok, body: request.body)
            response.headers.add("X-Body-Length", "\(request.body.count)")
            return response
        }
        router.post("/small", maxBodyBytes: 10) { request in .text("\(request.body.count)") }
        router.get("/slow") { request in
            let milliseconds = Int(request.queryValue("ms") ?? "") ?? 100
            try await Task.sleep(for: .milliseconds(milliseconds))
            return .text("slow \(milliseconds)")
        }
        router.get("/stream") { request in
            let count = Int(request.queryValue("n") ?? "") ?? 3
            let size = Int(request.queryValue("size") ?? "") ?? 8
            let pulls = StreamCounter.shared
            let produced = Counter()
            return .streaming(
                headers: ["Content-Type": "text/plain"],
                ResponseBodyStream {
                    let index = produced.next()
                    guard index < count else { return nil }
                    pulls.increment()
                    return Array(repeating: UInt8(ascii: "a") + UInt8(index % 26), count: size)
                })
        }
        router.get("/gate") { _ in
            await gate.wait()
            return .text("gate opened")
        }
        router.get("/n/{number}") { request in .text(request.parameter("number")!) }
        return router
    }

    static func with(
        _ configure: (inout HTTPServer.Configuration) -> Void = { _ in },
        _ body: (HTTPServer, Int) async throws -> Void
    ) async throws {
        try await with(configure) { server, port, _ in try await body(server, port) }
    }

    /// As `with(_:_:)`, also handing over the gate that `GET /gate` waits for.
    static func with(
        _ configure: (inout HTTPServer.Configuration) -> Void = { _ in },
        _ body: (HTTPServer, Int, Gate) async throws -> Void
    ) async throws {
        let gate = Gate()
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.eventLoopCount = 2
        configure(&configuration)
        let server = HTTPServer(configuration: configuration, handler: router(gate: gate))
        let port = try server.start()
        do {
            try await body(server, port, gate)
        } catch {
            server.shutdown()
            await server.waitUntilStopped()
            throw error
        }
        server.shutdown()
        await server.waitUntilStopped()
    }
}

/// Holds every waiter until a test opens it: lets a test keep a handler busy for exactly as long as it
/// needs, instead of guessing a duration that a loaded CI machine may overrun.
actor Gate {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func open() {
        isOpen = true
        for waiter in waiters { waiter.resume() }
        waiters.removeAll()
    }
}

/// Counts the pieces a streamed body has produced, so a test can see the server pull only as fast as
/// the client reads.
final class StreamCounter: Sendable {
    static let shared = StreamCounter()
    private let value = Mutex(0)
    func increment() { value.withLock { $0 += 1 } }
    func reset() { value.withLock { $0 = 0 } }
    var count: Int { value.withLock { $0 } }
}

final class Counter: Sendable {
    private let value = Mutex(0)
    func next() -> Int {
        value.withLock { count in
            defer { count += 1 }
            return count
        }
    }
}
