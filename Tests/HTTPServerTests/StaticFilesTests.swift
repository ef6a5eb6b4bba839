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

    @Test(
        "no way out of the root",
        arguments: [
            "../secret.txt", "%2e%2e/secret.txt", "%2E%2E%2Fsecret.txt", "css/..%2f..%2fsecret.txt", "css/../../secret.txt",
            ".secret", "escape.txt", "up/secret.txt", "css%00/site.css", "css//site.css", "", "css", "%zz", "css\\..\\..\\secret.txt",
        ])
    func refusesEscapes(_ path: String) async throws {
        let site = try Site()
        let response = try await get(StaticFiles(root: site.root.path), path)
        #expect(response.status == .notFound)
    }

    @Test("a file is read from disk once while it is fresh, and again after")
    func cachesWhileFresh() throws {
        let site = try Site()
        let cache = FileCache(freshForMilliseconds: 1000)
        var loads = 0
        func load() -> FileSnapshot? {
            loads += 1
            return FileSnapshot(path: site.root.path + "/index.html", within: site.root.path, maxBytes: 1 << 20)
        }
        #expect(cache.file("index.html", now: 10_000, load: load)?.contents == Array("<h1>hei</h1>".utf8))
        try Data("<h1>hallo</h1>".utf8).write(to: site.root.appendingPathComponent("index.html"))
        #expect(cache.file("index.html", now: 10_999, load: load)?.contents == Array("<h1>hei</h1>".utf8))
        #expect(loads == 1)
        #expect(cache.file("index.html", now: 11_000, load: load)?.contents == Array("<h1>hallo</h1>".utf8))
        #expect(loads == 2)
    }

    @Test("missing and large files are not kept; a full table starts over")
    func cacheBounds() throws {
        let cache = FileCache(freshForMilliseconds: 1000, maxFileBytes: 4, capacity: 2)
        let small = FileSnapshot(contents: [1, 2], modifiedSeconds: 0, entityTag: "\"a\"")
        let large = FileSnapshot(contents: [1, 2, 3, 4, 5], modifiedSeconds: 0, entityTag: "\"b\"")
        #expect(cache.file("gone", now: 0) { nil } == nil)
        #expect(cache.file("large", now: 0) { large }?.contents.count == 5)
        #expect(cache.count == 0)
        _ = cache.file("a", now: 0) { small }
        _ = cache.file("b", now: 0) { small }
        _ = cache.file("c", now: 0) { small }
        #expect(cache.count == 1)
    }

    @Test("a changed file is served changed once it is no longer fresh")
    func changedFileIsServed() async throws {
        let site = try Site()
        let files = try StaticFiles(root: site.root.path, freshForMilliseconds: 0)
        let before = try await get(files, "index.html")
        try Data("<h1>hallo</h1>".utf8).write(to: site.root.appendingPathComponent("index.html"))
        let after = try await get(files, "index.html")
        #expect(after.body == Array("<h1>hallo</h1>".utf8))
        #expect(after.headers["ETag"] != before.headers["ETag"])
        try FileManager.default.removeItem(at: site.root.appendingPathComponent("index.html"))
        #expect(try await get(files, "index.html").status == .notFound)
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
