import App
import Foundation
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

    @Option(name: .customLong("templates"), help: "Folder of templates, UI strings and seed pages.")
    var templatesDirectory = "Templates"

    @Option(name: .customLong("db"), help: "The SQLite database (created when missing).")
    var databasePath = "data/velkommen.sqlite"

    func run() async throws {
        LoggingSystem.bootstrap { BufferedLogHandler(label: $0) }
        defer { LogSink.standardOutput.flush() }
        let logger = Logger(label: "velkommen")
        var app = AppConfiguration()
        app.host = host
        app.port = port
        app.publicDirectory = publicDirectory
        app.templatesDirectory = templatesDirectory
        app.databasePath = databasePath
        do {
            try app.validate()
        } catch {
            throw ValidationError(error.description)
        }

        let router: any HTTPHandler
        do {
            router = try await VelkommenApp.start(app, logger: logger).router()
        } catch {
            throw CommandFailure("cannot start", error)
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
