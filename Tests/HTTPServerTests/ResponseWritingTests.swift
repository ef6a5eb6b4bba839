import Testing

@testable import HTTPServer

@Suite("Response heads and dates")
struct ResponseWritingTests {
    let date = ResponseHeadWriter.dateLine(secondsSince1970: 784_111_777)

    func head(
        _ response: HTTPResponse, keepAlive: Bool = true, version: HTTPVersion = .http1_1,
        defaults: HTTPHeaders = SecurityHeaders.defaults
    ) -> String {
        String(
            decoding: ResponseHeadWriter.head(
                for: response, bodyLength: response.body.count, date: date, keepAlive: keepAlive, requestVersion: version,
                defaults: .init(defaults)), as: UTF8.self)
    }

    @Test("dates are IMF-fixdate, both ways")
    func dates() {
        #expect(HTTPDate.format(secondsSince1970: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.format(secondsSince1970: 1_795_564_800) == "Wed, 25 Nov 2026 00:00:00 GMT")
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == nil)
        for seconds in stride(from: 0, to: 4_000_000_000, by: 86_399 * 97) {
            #expect(HTTPDate.parse(HTTPDate.format(secondsSince1970: seconds)) == seconds)
        }
    }

    @Test("a head has status, date, length, security headers and the handler's headers")
    func fullHead() {
        let text = head(.html("<p>hei</p>"))
        #expect(text.hasPrefix("HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 10\r\n"))
        #expect(text.contains("X-Content-Type-Options: nosniff\r\n"))
        #expect(text.contains("Content-Security-Policy: default-src 'self';"))
        #expect(text.contains("frame-ancestors 'none'"))
        #expect(!text.contains("unsafe-inline"))
        #expect(text.contains("Referrer-Policy: strict-origin-when-cross-origin\r\n"))
        #expect(text.contains("Content-Type: text/html; charset=utf-8\r\n"))
        #expect(text.hasSuffix("\r\n\r\n"))
    }

    @Test("a handler's own header replaces the default of that name")
    func overridesDefault() {
        var response = HTTPResponse.redirect(to: "/welcome")
        response.headers.set("referrer-policy", "no-referrer")
        let text = head(response)
        #expect(text.contains("referrer-policy: no-referrer\r\n"))
        #expect(!text.contains("strict-origin-when-cross-origin"))
    }

    @Test("framing headers from a handler are dropped; the server writes its own")
    func framingIsOurs() {
        let response = HTTPResponse(
            status: .ok, headers: ["Content-Length": "999", "Transfer-Encoding": "chunked", "Connection": "upgrade"], body: [1, 2])
        let text = head(response, keepAlive: false)
        #expect(text.contains("Content-Length: 2\r\n"))
        #expect(!text.contains("999"))
        #expect(!text.contains("chunked"))
        #expect(text.contains("Connection: close\r\n"))
        #expect(!text.contains("upgrade"))
    }

    @Test("a header value cannot split the response")
    func noSplitting() {
        let response = HTTPResponse(status: .ok, headers: ["X-Name": "a\r\nSet-Cookie: evil=1", "Bad Name": "x"])
        let text = head(response)
        #expect(text.contains("X-Name: a  Set-Cookie: evil=1\r\n"))
        #expect(!text.contains("Bad Name"))
    }

    @Test("204 and 304 carry no Content-Length; HTTP/1.0 keep-alive is confirmed")
    func specialStatuses() {
        #expect(!head(HTTPResponse(status: .noContent)).contains("Content-Length"))
        #expect(!head(HTTPResponse(status: .notModified)).contains("Content-Length"))
        #expect(head(.text("x"), version: .http1_0).contains("Connection: keep-alive\r\n"))
    }
}
