import Testing

@testable import HTTPServer

@Suite("Router")
struct RouterTests {
    static func router() -> Router {
        var router = Router()
        router.get("/hello") { _ in .text("hello") }
        router.post("/hello", maxBodyBytes: 10) { _ in .text("posted") }
        router.get("/offers/{slug}") { request in .text("offer \(request.parameter("slug")!)") }
        router.get("/files/*") { request in .text("rest \(request.parameter(Router.restParameter)!)") }
        return router
    }

    func answer(_ method: HTTPMethod, _ path: String) async throws -> HTTPResponse {
        try await Self.router().handle(HTTPRequest(head: HTTPRequestHead(method: method, path: path)))
    }

    func text(_ response: HTTPResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    @Test("a literal route answers its method")
    func literal() async throws {
        #expect(text(try await answer(.get, "/hello")) == "hello")
        #expect(text(try await answer(.post, "/hello")) == "posted")
    }

    @Test("parameters are percent-decoded")
    func parameter() async throws {
        #expect(text(try await answer(.get, "/offers/sommer%20salg")) == "offer sommer salg")
    }

    @Test("a trailing star takes the rest of the path, still encoded")
    func rest() async throws {
        #expect(text(try await answer(.get, "/files/css/a%2Fb.css")) == "rest css/a%2Fb.css")
    }

    @Test("an unknown path is 404; a parameter never matches an empty segment")
    func notFound() async throws {
        #expect(try await answer(.get, "/nope").status == .notFound)
        #expect(try await answer(.get, "/offers/").status == .notFound)
        #expect(try await answer(.get, "/offers/a/b").status == .notFound)
    }

    @Test("a known path with another method is 405 with Allow")
    func methodNotAllowed() async throws {
        let response = try await answer(.delete, "/hello")
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers["Allow"] == "GET, HEAD, POST")
        #expect(try await answer(.post, "/offers/x").headers["Allow"] == "GET, HEAD")
    }

    @Test("HEAD is answered by the GET route")
    func head() async throws {
        #expect(text(try await answer(.head, "/hello")) == "hello")
    }

    @Test("a route's body limit is known before the body is read")
    func bodyLimit() {
        let router = Self.router()
        #expect(router.maxBodyBytes(for: HTTPRequestHead(method: .post, path: "/hello")) == 10)
        #expect(router.maxBodyBytes(for: HTTPRequestHead(method: .get, path: "/hello")) == nil)
    }
}
