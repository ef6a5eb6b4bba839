import HTTPServer
import TestSupport
import Testing

@Suite("Streamed response bodies", .serialized)
struct StreamingTests {
    @Test("HTTP/1.1 gets the body chunked, and the connection stays usable")
    func chunked() async throws {
        try await TestServer.with { _, port in
            let client = try RawClient(port: port)
            client.send("GET /stream?n=3&size=4 HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.header("Transfer-Encoding") == "chunked")
            #expect(response.header("Content-Length") == nil)
            #expect(response.text == "aaaabbbbcccc")
            client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse().text == "hello")
        }
    }

    @Test("HTTP/1.0 gets the body delimited by the close; HEAD gets no body")
    func http10AndHead() async throws {
        try await TestServer.with { _, port in
            let old = try RawClient(port: port)
            old.send("GET /stream?n=2&size=3 HTTP/1.0\r\n\r\n")
            let response = try await old.readResponse()
            #expect(response.header("Transfer-Encoding") == nil)
            #expect(response.header("Connection") == "close")
            #expect(response.text == "aaabbb")
            let head = try RawClient(port: port)
            head.send("HEAD /stream?n=2 HTTP/1.1\r\nHost: t\r\n\r\n")
            let headResponse = try await head.readResponse(head: true)
            #expect(headResponse.status == 200)
            head.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await head.readResponse().text == "hello", "no body bytes were left between the responses")
        }
    }

    @Test("the producer is pulled only as fast as the client reads")
    func backpressure() async throws {
        try await TestServer.with { _, port in
            StreamCounter.shared.reset()
            let client = try RawClient(port: port, timeout: 10)
            // The client reads nothing at first: 2,000 pieces of 64 KiB (125 MiB) cannot fit in the
            // socket buffers (a few MiB), so the server must stop pulling.
            client.send("GET /stream?n=2000&size=65536 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            try await Task.sleep(for: .milliseconds(500))
            let pulled = StreamCounter.shared.count
            #expect(pulled < 400, "pulled \(pulled) pieces while the client read nothing")
            let bytes = await client.readUntilClosed()
            #expect(bytes.count > 2000 * 65536, "the whole body arrives once the client reads")
            #expect(StreamCounter.shared.count == 2000)
        }
    }
}
