import HTTPServer
import ServiceLifecycle

/// A started `HTTPServer` as a service: it runs until the group shuts down, then stops accepting and
/// finishes the requests in flight (its grace period) before the next service is stopped.
struct ListeningService: Service {
    let server: HTTPServer

    func run() async throws {
        await withGracefulShutdownHandler {
            await server.waitUntilStopped()
        } onGracefulShutdown: {
            server.shutdown()
        }
    }
}
