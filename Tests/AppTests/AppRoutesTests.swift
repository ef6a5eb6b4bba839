import Foundation
import HTTPServer
import TestSupport
import Testing

@testable import App

@Suite("App: health, static files, access log")
struct AppRoutesTests {
    /// The app on a real server; `entries` collects the access log.
    func withApp(_ body: (Int, TestApp.CollectedEntries) async throws -> Void) async throws {
        try await TestApp.with { app in try await body(app.port, app.entries) }
    }

    @Test("GET /healthz answers ok as JSON")
    func health() async throws {
        try await withApp { port, _ in
            let client = try RawClient(port: port)
            client.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.text == #"{"status":"ok"}"#)
        }
    }

    @Test("Public/ is served under /public/ with caching headers, and nothing beside it")
    func publicFiles() async throws {
        try await withApp { port, _ in
            let client = try RawClient(port: port)
            client.send("GET /public/css/velkommen.css HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "text/css; charset=utf-8")
            #expect(response.header("ETag") != nil)
            #expect(response.header("Cache-Control") == "public, max-age=300")
            client.send("GET /public/../Package.swift HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse().status == 404)
        }
    }

    @Test("the access log has one entry per request and never the query")
    func accessLogWithoutQuery() async throws {
        try await withApp { port, entries in
            let client = try RawClient(port: port)
            client.send("GET /healthz?code=SECRET-LOGIN-CODE HTTP/1.1\r\nHost: t\r\n\r\n")
            _ = try await client.readResponse()
            client.send("GET /nowhere?code=SECRET-LOGIN-CODE&state=x HTTP/1.1\r\nHost: t\r\n\r\n")
            _ = try await client.readResponse()
            let logged = entries.all
            #expect(logged.map(\.path) == ["/healthz", "/nowhere"])
            #expect(logged.map(\.status) == [200, 404])
            let lines = logged.map(AccessLogger.line(for:))
            #expect(lines.allSatisfy { !$0.contains("SECRET") && !$0.contains("?") })
        }
    }

    @Test("a bad port stops start-up with a line that names the setting")
    func validation() {
        var configuration = AppConfiguration()
        configuration.port = 70_000
        #expect(throws: ConfigurationError.self) { try configuration.validate() }
        do {
            try configuration.validate()
        } catch {
            #expect(error.description.contains("--port"))
        }
    }
}
