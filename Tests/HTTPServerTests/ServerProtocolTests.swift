import TestSupport
import Testing

@testable import HTTPServer

/// The server over real sockets on an ephemeral port: what a client on the wire sees.
@Suite("Server: HTTP/1.1 on the wire")
struct ServerProtocolTests {
    @Test("a keep-alive connection serves several requests")
    func keepAlive() async throws {
        try await TestServer.with { _, port in
            let client = try RawClient(port: port)
            for _ in 0..<3 {
                client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
                let response = try await client.readResponse()
                #expect(response.status == 200)
                #expect(response.text == "hello")
                #expect(response.header("Connection") == nil)
            }
        }
    }

    @Test("pipelined requests are answered in order, even when the first is the slowest")
    func pipelining() async throws {
        try await TestServer.with { _, port in
            let client = try RawClient(port: port)
            client.send("GET /slow?ms=150 HTTP/1.1\r\nHost: t\r\n\r\nGET /n/2 HTTP/1.1\r\nHost: t\r\n\r\nGET /n/3 HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse().text == "slow 150")
            #expect(try await client.readResponse().text == "2")
            #expect(try await client.readResponse().text == "3")
        }
    }

    @Test("a chunked request body is decoded")
    func chunkedBody() async throws {
        try await TestServer.with { _, port in
            let client = try RawClient(port: port)
            client.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
            client.send("6;ext=1\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.text == "hello world")
            client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse().text == "hello")
        }
    }

    @Test("a body split over many writes arrives whole")
    func splitBody() async throws {
        try await TestServer.with { _, port in
            let client = try RawClient(port: port)
            let body = String(repeating: "abcdefghij", count: 50_000)
            client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: \(body.utf8.count)\r\n\r\n")
            for chunk in body.utf8.split(maxLength: 65_536) { client.send(chunk) }
            let response = try await client.readResponse()
            #expect(response.header("X-Body-Length") == "500000")
            #expect(response.body == Array(body.utf8))
        }
    }

    @Test("Expect: 100-continue gets a go-ahead before the body")
    func continueThenBody() async throws {
        try await TestServer.with { _, port in
            let client = try RawClient(port: port)
            client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            #expect(try await client.readResponse().status == 100)
            client.send("hello")
            let response = try await client.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "hello")
        }
    }

    @Test("a body over the route's limit gets 413 before it is sent, and no 100")
    func bodyTooLarge() async throws {
        try await TestServer.with { _, port in
            let client = try RawClient(port: port)
            client.send("POST /small HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 413)
            #expect(response.header("Connection") == "close")
            #expect(await client.closesConnection())
        }
    }

    @Test("a body over the server's limit gets 413")
    func serverBodyLimit() async throws {
        try await TestServer.with({ $0.maxBodyBytes = 1000 }) { _, port in
            let client = try RawClient(port: port)
            client.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n7D0\r\n")
            #expect(try await client.readResponse().status == 413)
        }
    }

    @Test("HEAD gets the GET headers and no body")
    func head() async throws {
        try await TestServer.with { _, port in
            let client = try RawClient(port: port)
            client.send("HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try await client.readResponse(head: true)
            #expect(response.status == 200)
            #expect(response.header("Content-Length") == "5")
            client.send("GET /n/7 HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse().text == "7", "a body byte after HEAD would corrupt this response")
        }
    }

    @Test("HTTP/1.0 without keep-alive is closed after its response")
    func http10() async throws {
        try await TestServer.with { _, port in
            let client = try RawClient(port: port)
            client.send("GET /hello HTTP/1.0\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.text == "hello")
            #expect(response.header("Connection") == "close")
            #expect(await client.closesConnection())
        }
    }

    @Test("Connection: close is honoured")
    func connectionClose() async throws {
        try await TestServer.with { _, port in
            let client = try RawClient(port: port)
            client.send("GET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            #expect(try await client.readResponse().header("Connection") == "close")
            #expect(await client.closesConnection())
        }
    }

    @Test("every response carries Date and the security headers")
    func defaultHeaders() async throws {
        try await TestServer.with { _, port in
            let client = try RawClient(port: port)
            client.send("GET /nope HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 404)
            #expect(response.header("Date")?.hasSuffix(" GMT") == true)
            #expect(response.header("X-Content-Type-Options") == "nosniff")
            #expect(response.header("Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
            #expect(response.header("Referrer-Policy") != nil)
        }
    }

    @Test("a smuggling attempt (Content-Length with Transfer-Encoding) gets 400 and the connection closes")
    func smuggling() async throws {
        try await TestServer.with { _, port in
            let client = try RawClient(port: port)
            client.send(
                "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /hello HTTP/1.1\r\nHost: t\r\n\r\n"
            )
            let response = try await client.readResponse()
            #expect(response.status == 400)
            #expect(response.header("Connection") == "close")
            #expect(await client.closesConnection(), "the smuggled request must not be answered")
        }
    }

    @Test("a malformed request line gets 400 and the connection closes")
    func malformed() async throws {
        try await TestServer.with { _, port in
            let client = try RawClient(port: port)
            client.send("GET /a b HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse().status == 400)
            #expect(await client.closesConnection())
        }
    }

    @Test("an oversized header section gets 431")
    func headerTooLarge() async throws {
        try await TestServer.with { _, port in
            let client = try RawClient(port: port)
            client.send("GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + String(repeating: "x", count: 40_000))
            #expect(try await client.readResponse().status == 431)
            #expect(await client.closesConnection())
        }
    }

    @Test("a handler that throws gets a 500 and the connection stays usable")
    func throwingHandler() async throws {
        struct Boom: Error {}
        var router = Router()
        router.get("/boom") { _ in throw Boom() }
        router.get("/ok") { _ in .text("ok") }
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        let server = HTTPServer(configuration: configuration, handler: router)
        let port = try server.start()
        let client = try RawClient(port: port)
        client.send("GET /boom HTTP/1.1\r\nHost: t\r\n\r\nGET /ok HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try await client.readResponse().status == 500)
        #expect(try await client.readResponse().text == "ok")
        server.shutdown()
        await server.waitUntilStopped()
    }
}

extension String.UTF8View {
    /// Slices of at most `maxLength` bytes.
    func split(maxLength: Int) -> [[UInt8]] {
        let bytes = Array(self)
        return stride(from: 0, to: bytes.count, by: maxLength).map { Array(bytes[$0..<Swift.min($0 + maxLength, bytes.count)]) }
    }
}
