import Testing

@testable import HTTPServer

@Suite("Request head parser")
struct HTTPRequestHeadParserTests {
    static let rejected = Fixtures.all(in: "rejected")

    @Test("there is a fixture for every rejection rule")
    func fixturesExist() {
        #expect(Self.rejected.count >= 30)
        #expect(Set(Self.rejected.map(\.expectedStatus)) == [400, 414, 417, 431, 501, 505])
    }

    @Test("a rejected fixture gets the status its name gives", arguments: rejected)
    func rejects(_ fixture: Fixtures.Fixture) {
        do {
            let outcome = try HTTPRequestHeadParser.parse(fixture.bytes)
            Issue.record("parsed instead of rejected: \(outcome)")
        } catch {
            #expect(error.status.code == fixture.expectedStatus, "\(error)")
        }
    }

    @Test("each accepted fixture parses whole", arguments: Fixtures.all(in: "accepted"))
    func accepts(_ fixture: Fixtures.Fixture) throws {
        guard case .complete(_, let consumed) = try HTTPRequestHeadParser.parse(fixture.bytes) else {
            Issue.record("incomplete")
            return
        }
        #expect(consumed <= fixture.bytes.count)
    }

    @Test("a request line and headers are read into the head")
    func readsHead() throws {
        let head = try complete(Fixtures.named("get-with-query"))
        #expect(head.method == .get)
        #expect(head.path == "/page")
        #expect(head.query == "name=Ada&x=1")
        #expect(head.version == .http1_1)
        #expect(head.headers["host"] == "example.test")
        #expect(head.headers["ACCEPT"] == "text/html")
        #expect(head.keepAlive)
        #expect(head.framing == .none)
    }

    @Test("absolute-form targets are reduced to their path and query")
    func absoluteForm() throws {
        let head = try complete(Fixtures.named("absolute-form"))
        #expect(head.path == "/a/b")
        #expect(head.query == "c=d")
    }

    @Test("optional white space around a value is trimmed, obs-text kept")
    func trimsValues() throws {
        let head = try complete(Fixtures.named("obs-text-and-tabs-in-value"))
        #expect(head.headers["X-Name"] == "Blåbær")
    }

    @Test("equal Content-Length values are one length")
    func equalContentLengths() throws {
        let bytes = Fixtures.named("equal-content-lengths")
        guard case .complete(let head, let consumed) = try HTTPRequestHeadParser.parse(bytes) else {
            Issue.record("incomplete")
            return
        }
        #expect(head.framing == .contentLength(3))
        #expect(Array(bytes[consumed...]) == Array("abc".utf8))
    }

    @Test("Transfer-Encoding chunked is recognised in any case")
    func chunked() throws {
        #expect(try complete(Fixtures.named("chunked-post")).framing == .chunked)
    }

    @Test("HTTP/1.0 closes by default and keeps alive when asked")
    func http10KeepAlive() throws {
        #expect(try complete(Fixtures.named("http-1.0-without-host")).keepAlive == false)
        let asked = try complete(Array("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n".utf8))
        #expect(asked.keepAlive)
        #expect(asked.version == .http1_0)
    }

    @Test("Connection: close ends an HTTP/1.1 connection")
    func connectionClose() throws {
        let head = try complete(Array("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, close\r\n\r\n".utf8))
        #expect(head.keepAlive == false)
    }

    @Test("Expect: 100-continue is noted")
    func expectContinue() throws {
        let head = try complete(Array("PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\nExpect: 100-Continue\r\n\r\n".utf8))
        #expect(head.expectsContinue)
    }

    @Test("a head cut anywhere is incomplete, never an error")
    func everyPrefixIsIncomplete() throws {
        let bytes = Fixtures.named("get-with-query")
        for length in 0..<bytes.count {
            let outcome = try HTTPRequestHeadParser.parse(Array(bytes[..<length]))
            guard case .incomplete = outcome else {
                Issue.record("prefix of \(length) bytes: \(outcome)")
                return
            }
        }
    }

    @Test("pipelined requests are consumed one head at a time")
    func pipelined() throws {
        let one = Array("GET /a HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        let two = Array("GET /b HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        guard case .complete(let first, let consumed) = try HTTPRequestHeadParser.parse(one + two) else {
            Issue.record("incomplete")
            return
        }
        #expect(first.path == "/a")
        #expect(consumed == one.count)
        #expect(try complete(Array((one + two)[consumed...])).path == "/b")
    }

    private func complete(_ bytes: [UInt8]) throws -> HTTPRequestHead {
        guard case .complete(let head, _) = try HTTPRequestHeadParser.parse(bytes) else {
            throw HTTPParseError.malformedRequestLine
        }
        return head
    }
}
