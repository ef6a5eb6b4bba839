import App
import ArgumentParser
import HTTPServer
import Logging

/// `velkommen serve`: runs the web app until SIGTERM or SIGINT, then shuts down gracefully.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the web app (the default command).")

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port = 8080

    @Option(name: .customLong("public"), help: "Folder served under /public/.")
    var publicDirectory = "Public"

    func run() async throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardOutput(label: $0) }
        let logger = Logger(label: "velkommen")
        var app = AppConfiguration()
        app.host = host
        app.port = port
        app.publicDirectory = publicDirectory
        do {
            try app.validate()
        } catch {
            throw ValidationError(error.description)
        }

        let router: Router
        do {
            router = try AppRoutes.router(app)
        } catch {
            throw ValidationError("--public \(publicDirectory): \(error)")
        }
        var server = HTTPServer.Configuration()
        server.host = app.host
        server.port = app.port
        let access = AccessLogger()
        server.accessLog = { access.log($0) }
        let errors = Logger(label: "velkommen.server")
        server.errorLog = { errors.warning("\($0)") }

        let httpServer = HTTPServer(configuration: server, handler: router)
        let signals = ShutdownSignals { signal in
            logger.info("signal \(signal): shutting down gracefully")
            httpServer.shutdown()
        }
        let bound = try httpServer.start()
        logger.info("Velkommen is listening on http://\(app.host):\(bound)/ (health: /healthz)")
        await httpServer.waitUntilStopped()
        withExtendedLifetime(signals) {}
        logger.info("stopped")
    }
}
