import Foundation
import TestSupport
import Testing

/// Limits that only a real process has: here, its file descriptors.
@Suite("Server: out of file descriptors")
struct ResourceExhaustionTests {
    @Test("running out of file descriptors pauses accepting instead of crashing, and recovers")
    func outOfDescriptors() async throws {
        let hello = FileManager.default.temporaryDirectory.appendingPathComponent("velkommen-hello-\(UUID().uuidString).html")
        try Data("<p>hello</p>".utf8).write(to: hello)
        defer { try? FileManager.default.removeItem(at: hello) }
        let server = try ServerProcess(
            "velkommen-bench-server", arguments: ["--port", "0", "--hello", hello.path, "--loops", "1"], fileDescriptorLimit: 24)
        defer { server.stop() }

        var clients: [RawClient] = []
        for _ in 0..<40 { clients.append(try RawClient(port: server.port, timeout: 0.1)) }
        for client in clients { client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n") }
        var answered = 0
        for client in clients where (try? await client.readResponse()) != nil { answered += 1 }
        #expect(answered > 0, "some connections fit under the limit")
        #expect(answered < clients.count, "the rest wait in the backlog")
        #expect(server.isRunning)

        clients.removeAll()
        let fresh = try RawClient(port: server.port, timeout: 5)
        fresh.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try await fresh.readResponse().text == "<p>hello</p>")
        #expect(server.stop() == 0, "SIGTERM still shuts down cleanly")
    }
}
