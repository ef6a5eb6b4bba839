import Foundation
import Testing
@testable import HTTPServer

@Suite("Static files")
struct StaticFilesTests {
    /// A temporary site: root/index.html, root/css/site.css, root/.secret, a secret beside the root,
    /// and symbolic links inside the root that lead out of it.
    final class Site {
        let base: URL
        let root: URL

        init() throws {
            base = FileManager.default.temporaryDirectory.appendingPathComponent("velkommen-static-\(UUID().uuidString)")
            root = base.appendingPathComponent("public")
            try FileManager.default.createDirectory(at: root.appendingPathComponent("css"), withIntermediateDirectories: true)
            try Data("<h1>hei</h1>".utf8).write(to: root.appendingPathComponent("index.html"))
            try Data("body{}".utf8).write(to: root.appendingPathComponent("css/site.css"))
            try Data("hidden".utf8).write(to: root.appendingPathComponent(".secret"))
            try Data("outside".utf8).write(to: base.appendingPathComponent("secret.txt"))
            try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("escape.txt").path, withDestinationPath: "../secret.txt")
            try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("up").path, withDestinationPath: "..")
        }

        deinit { try? FileManager.default.removeItem(at: base) }
    }

    func get(_ files: StaticFiles, _ rest: String, headers: HTTPHeaders = [:]) async throws -> HTTPResponse {
        var request = HTTPRequest(head: HTTPRequestHead(method: .get, path: "/public/" + rest, headers: headers))
        request.pathParameters = [Router.restParameter: rest]
        return try await files.handle(request)
    }

    @Test("a file is served with its type, validators and cache policy")
    func servesFile() async throws {
        let site = try Site()
        let response = try await get(StaticFiles(root: site.root.path), "css/site.css")
        #expect(response.status == .ok)
        #expect(response.body == Array("body{}".utf8))
        #expect(response.headers["Content-Type"] == "text/css; charset=utf-8")
        #expect(response.headers["ETag"]?.hasPrefix("\"") == true)
        #expect(response.headers["Last-Modified"]?.hasSuffix(" GMT") == true)
        #expect(response.headers["Cache-Control"] == "public, max-age=300")
    }

    @Test("a matching ETag or an unchanged date gives 304 without a body")
    func notModified() async throws {
        let site = try Site()
        let files = try StaticFiles(root: site.root.path)
        let first = try await get(files, "index.html")
        let byTag = try await get(files, "index.html", headers: ["If-None-Match": first.headers["ETag"]!])
        #expect(byTag.status == .notModified)
        #expect(byTag.body.isEmpty)
        let byDate = try await get(files, "index.html", headers: ["If-Modified-Since": first.headers["Last-Modified"]!])
        #expect(byDate.status == .notModified)
        let stale = try await get(files, "index.html", headers: ["If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"])
        #expect(stale.status == .ok)
    }

    @Test("no way out of the root", arguments: [
        "../secret.txt", "%2e%2e/secret.txt", "%2E%2E%2Fsecret.txt", "css/..%2f..%2fsecret.txt", "css/../../secret.txt",
        ".secret", "escape.txt", "up/secret.txt", "css%00/site.css", "css//site.css", "", "css", "%zz", "css\\..\\..\\secret.txt",
    ])
    func refusesEscapes(_ path: String) async throws {
        let site = try Site()
        let response = try await get(StaticFiles(root: site.root.path), path)
        #expect(response.status == .notFound)
    }

    @Test("a root that is not there is an error at start-up")
    func missingRoot() {
        #expect(throws: SocketError.self) { try StaticFiles(root: "/nonexistent/velkommen") }
    }

    @Test("content types follow the extension")
    func mimeTypes() {
        #expect(MIMEType.forFile("a.SVG") == "image/svg+xml")
        #expect(MIMEType.forFile("app.js") == "text/javascript; charset=utf-8")
        #expect(MIMEType.forFile("blob") == "application/octet-stream")
    }
}
