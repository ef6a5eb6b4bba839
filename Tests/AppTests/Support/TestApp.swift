import Foundation
import HTTPServer
import StorageTestSupport
import Synchronization

@testable import App

/// The whole app on a real server on an ephemeral port, with a fresh database in a temporary folder
/// and the repository's `Public/` and `Templates/`.
struct TestApp {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The access log entries the server wrote.
    final class CollectedEntries: Sendable {
        private let storage = Mutex<[AccessLogEntry]>([])
        func append(_ entry: AccessLogEntry) { storage.withLock { $0.append(entry) } }
        var all: [AccessLogEntry] { storage.withLock { $0 } }
    }

    let app: VelkommenApp
    let port: Int
    let entries: CollectedEntries
    let folder: String
    let logs: CapturedLogs

    static func configuration(folder: String) -> AppConfiguration {
        var configuration = AppConfiguration()
        configuration.publicDirectory = repository.appendingPathComponent("Public").path
        configuration.templatesDirectory = repository.appendingPathComponent("Templates").path
        configuration.databasePath = folder + "/db/velkommen.sqlite"
        return configuration
    }

    /// Runs `body` against a started app and stops it afterwards; `configure` may adjust the settings.
    static func with(_ configure: (inout AppConfiguration) -> Void = { _ in }, _ body: (TestApp) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("velkommen-app-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await TestDatabases.withFreshDatabase(TestDatabases.appEngine, folder: folder) { location in
            var configuration = configuration(folder: folder)
            configuration.databasePath = location
            configure(&configuration)
            try await run(configuration, folder: folder, body)
        }
    }

    private static func run(_ configuration: AppConfiguration, folder: String, _ body: (TestApp) async throws -> Void) async throws {
        let logs = CapturedLogs()
        let app = try await VelkommenApp.start(configuration, logger: logs.logger)
        var server = HTTPServer.Configuration()
        server.port = 0
        let entries = CollectedEntries()
        server.accessLog = { entries.append($0) }
        server.refusal = app.refusals
        let httpServer = HTTPServer(configuration: server, handler: try app.router())
        let port = try httpServer.start()
        do {
            try await body(TestApp(app: app, port: port, entries: entries, folder: folder, logs: logs))
        } catch {
            httpServer.shutdown()
            await httpServer.waitUntilStopped()
            throw error
        }
        httpServer.shutdown()
        await httpServer.waitUntilStopped()
    }
}
