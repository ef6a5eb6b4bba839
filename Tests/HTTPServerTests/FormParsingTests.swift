import Testing

@testable import HTTPServer

@Suite("Forms, queries and cookies")
struct FormParsingTests {
    @Test("urlencoded fields decode plus, percent escapes and UTF-8, in order")
    func urlencoded() {
        let form = URLEncodedForm(parsing: "title=Hello+from+wrk+%26+friends&name=Bl%C3%A5b%C3%A6r&flag&tag=a&tag=b")
        #expect(form["title"] == "Hello from wrk & friends")
        #expect(form["name"] == "Blåbær")
        #expect(form["flag"] == "")
        #expect(form.values("tag") == ["a", "b"])
        #expect(form["missing"] == nil)
    }

    @Test("malformed escapes in form data are kept as typed")
    func malformedEscapes() {
        let form = URLEncodedForm(parsing: "a=100%&b=%zz&c=%4")
        #expect(form["a"] == "100%")
        #expect(form["b"] == "%zz")
        #expect(form["c"] == "%4")
    }

    @Test("one value is found without building the form, also under an encoded name")
    func firstValue() {
        #expect(URLEncodedForm.firstValue("name", in: Array("x=1&name=%3Cb%3E&name=2".utf8)) == "<b>")
        #expect(URLEncodedForm.firstValue("på", in: "p%C3%A5=ja".utf8) == "ja")
        #expect(URLEncodedForm.firstValue("nope", in: "a=b".utf8) == nil)
    }

    @Test("encoding leaves only unreserved characters and round-trips")
    func encoding() {
        let form = URLEncodedForm(fields: [.init(name: "q", value: "a b&c=d/æ")])
        #expect(form.encoded == "q=a%20b%26c%3Dd%2F%C3%A6")
        #expect(URLEncodedForm(parsing: form.encoded) == form)
    }

    @Test("strict percent-decoding refuses malformed escapes")
    func strictDecoding() {
        #expect(PercentDecoding.decode(Array("a%2Fb".utf8), plusAsSpace: false, mode: .strict) == Array("a/b".utf8))
        #expect(PercentDecoding.decode(Array("a%2".utf8), plusAsSpace: false, mode: .strict) == nil)
        #expect(PercentDecoding.decode(Array("a+b".utf8), plusAsSpace: false, mode: .strict) == Array("a+b".utf8))
    }

    @Test("multipart fields and files are split at their boundary")
    func multipart() throws {
        let body = Array(
            ("--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nHei på deg\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nline1\r\nline2\r\n"
                + "--XyZ--\r\n").utf8)
        let form = try MultipartForm(body: body, contentType: "multipart/form-data; boundary=\"XyZ\"")
        #expect(form.parts.count == 2)
        #expect(form.fields["title"] == "Hei på deg")
        #expect(form.parts[1].filename == "a.txt")
        #expect(form.parts[1].contentType == "text/plain")
        #expect(form.parts[1].body == Array("line1\r\nline2".utf8))
    }

    @Test("multipart without a boundary or with broken framing is refused")
    func multipartErrors() {
        #expect(throws: MultipartForm.ParseError.missingBoundary) { try MultipartForm(body: [], contentType: "multipart/form-data") }
        #expect(throws: MultipartForm.ParseError.malformed) {
            try MultipartForm(body: Array("--b\r\nno headers end".utf8), contentType: "multipart/form-data; boundary=b")
        }
    }

    @Test("a request's form comes from its content type")
    func requestForm() {
        var request = HTTPRequest(
            head: HTTPRequestHead(method: .post, path: "/", headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"]))
        request.body = Array("a=1".utf8)
        #expect(request.formFields()?["a"] == "1")
        request.head.headers.set("Content-Type", "application/json")
        #expect(request.formFields() == nil)
    }

    @Test("cookies are read by name; the first of two wins; quotes and escapes are undone")
    func cookies() {
        let request = HTTPRequest(
            head: HTTPRequestHead(
                method: .get, path: "/",
                headers: [
                    "Cookie": "session=abc; theme=\"dark\"; session=evil",
                    "cookie": "lang=nb%2Den; bad name=x",
                ]))
        #expect(request.cookies == ["session": "abc", "theme": "dark", "lang": "nb-en"])
        #expect(request.cookie("session") == "abc")
        #expect(request.cookie("theme") == "dark")
        #expect(request.cookie("lang") == "nb-en")
        #expect(request.cookie("bad name") == nil)
        #expect(request.cookie("missing") == nil)
    }

    @Test("cookie pairs: spaces around them, empty pairs, a pair without a value sign, a name that is a prefix of another")
    func cookiePairs() {
        let request = HTTPRequest(
            head: HTTPRequestHead(method: .get, path: "/", headers: ["Cookie": " ; sess=1;session = abc ;junk; =x; a=;"]))
        #expect(request.cookie("session") == "abc")
        #expect(request.cookie("sess") == "1")
        #expect(request.cookie("a") == "")
        #expect(request.cookie("junk") == nil)
        #expect(request.cookies == ["sess": "1", "session": "abc", "a": ""])
    }

    @Test("a set cookie carries every attribute")
    func setCookie() {
        let cookie = SetCookie(name: "session", value: "abc", maxAge: 2_592_000, expires: 0, secure: true)
        #expect(cookie.headerValue == "session=abc; Path=/; Max-Age=2592000; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=Lax")
    }

    @Test("a cookie value cannot break out of its header")
    func cookieInjection() {
        let cookie = SetCookie(name: "a;b", value: "x; Domain=evil\r\nSet-Cookie: y=z", path: nil, sameSite: nil)
        #expect(cookie.headerValue == "ab=x%3B%20Domain=evil%0D%0ASet-Cookie:%20y=z; HttpOnly")
    }

    @Test("query values are read from the request")
    func query() {
        let request = HTTPRequest(head: HTTPRequestHead(method: .get, path: "/page", query: "name=Ada+L&x"))
        #expect(request.queryValue("name") == "Ada L")
        #expect(request.queryItems["x"] == "")
    }
}
