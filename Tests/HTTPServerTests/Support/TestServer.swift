import HTTPServer
import TestSupport

/// Starts a server on a free port with the routes the end-to-end tests use, runs `body`, and shuts
/// the server down gracefully afterwards.
enum TestServer {
    static func router() -> Router {
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
        router.get("/n/{number}") { request in .text(request.parameter("number")!) }
        return router
    }

    static func with(
        _ configure: (inout HTTPServer.Configuration) -> Void = { _ in },
        _ body: (HTTPServer, Int) async throws -> Void
    ) async throws {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.eventLoopCount = 2
        configure(&configuration)
        let server = HTTPServer(configuration: configuration, handler: router())
        let port = try server.start()
        do {
            try await body(server, port)
        } catch {
            server.shutdown()
            await server.waitUntilStopped()
            throw error
        }
        server.shutdown()
        await server.waitUntilStopped()
    }
}
