import OutboundHTTP
import Synchronization
import TestSupport
import Testing

@Suite("Outbound HTTP on libcurl: what a slow, endless, absent or redirecting server can do to a request")
struct OutboundClientTests {
    let client = OutboundClient()

    private func post(_ url: String, deadline: Duration = .seconds(5), cap: Int = 64 * 1024, pinned: String? = nil) -> OutboundRequest {
        OutboundRequest(
            method: "POST", url: url, headers: [("Content-Type", "application/json"), ("webhook-id", "msg_1")], body: Array(#"{"a":1}"#.utf8),
            deadline: deadline, connectTimeout: .seconds(2), maxBodyBytes: cap, allowPlainHTTP: true, pinnedAddress: pinned)
    }

    @Test("a POST arrives with its headers and body, and the status comes back")
    func answer() async throws {
        let receiver = try TestReceiver(.answer(204))
        let response = try await client.send(post(receiver.url))
        #expect(response.status == 204)
        let request = try #require(receiver.requests.first)
        #expect(request.method == "POST" && request.path == "/hooks" && request.body == Array(#"{"a":1}"#.utf8))
        #expect(request.header("webhook-id") == "msg_1" && request.header("Expect") == nil)
    }

    @Test("many requests at once all get their answers")
    func concurrent() async throws {
        let receiver = try TestReceiver(.answer(200))
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<40 { group.addTask { try await client.send(post(receiver.url)).status } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses.count == 40 && statuses.allSatisfy { $0 == 200 })
        #expect(receiver.requests.count == 40)
    }

    @Test("an answer that trickles a byte at a time ends at the deadline, not when the server stops")
    func trickle() async throws {
        let receiver = try TestReceiver(.trickle(every: .milliseconds(200)))
        await #expect(throws: OutboundError.timedOut) { try await client.send(post(receiver.url, deadline: .seconds(1))) }
    }

    @Test("a body without end is cut off at the cap")
    func endless() async throws {
        let receiver = try TestReceiver(.endless)
        await #expect(throws: OutboundError.answerTooLarge) { try await client.send(post(receiver.url, deadline: .seconds(30))) }
    }

    @Test("nothing listening is a connection failure")
    func refused() async throws {
        let port = try TestReceiver.refusedPort()
        await #expect(throws: OutboundError.couldNotConnect) { try await client.send(post("http://127.0.0.1:\(port)/hooks")) }
    }

    @Test("plain http only where allowed; other schemes never")
    func schemes() async throws {
        let receiver = try TestReceiver(.answer(200))
        var request = post(receiver.url)
        request.allowPlainHTTP = false
        await #expect(throws: OutboundError.refusedURL) { try await client.send(request) }
        await #expect(throws: OutboundError.refusedURL) { try await client.send(post("file:///etc/passwd")) }
        await #expect(throws: OutboundError.refusedURL) { try await client.send(post("gopher://127.0.0.1:\(receiver.port)/")) }
        #expect(receiver.requests.isEmpty)
    }

    @Test("a redirect comes back as it is, never followed")
    func redirect() async throws {
        let receiver = try TestReceiver(.answer(302))
        let response = try await client.send(post(receiver.url))
        #expect(response.status == 302 && receiver.requests.count == 1)
    }

    @Test("a pinned address is where the connection goes, whatever the name resolves to")
    func pinned() async throws {
        let receiver = try TestReceiver(.answer(200))
        // .invalid never resolves (RFC 6761): an answer can only come through the pin.
        let response = try await client.send(post("http://webhooks.velkommen.invalid:\(receiver.port)/hooks", pinned: "127.0.0.1"))
        #expect(response.status == 200)
        #expect(receiver.requests.first?.header("Host") == "webhooks.velkommen.invalid:\(receiver.port)")
        await #expect(throws: OutboundError.self) { try await client.send(post("http://webhooks.velkommen.invalid:\(receiver.port)/hooks")) }
    }

    @Test("a header that would start another header is refused")
    func headerInjection() async throws {
        var request = post("http://127.0.0.1:1/")
        request.headers.append(("X-Note", "a\r\nHost: elsewhere"))
        await #expect(throws: OutboundError.refusedURL) { try await client.send(request) }
    }

    @Test("cancelling the caller ends its request at once")
    func cancellation() async throws {
        let receiver = try TestReceiver(.silent)
        let client = client
        let request = post(receiver.url, deadline: .seconds(60))
        let task = Task { () -> OutboundError? in
            do {
                _ = try await client.send(request)
                return nil
            } catch let error as OutboundError {
                return error
            } catch {
                return nil
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        #expect(await task.value == .cancelled)
    }
}
