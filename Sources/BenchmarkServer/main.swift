import HTTPServer

// The three anchor routes of the anchors harness on Velkommen's HTTPServer, for `scripts/bench`:
//   GET  /hello        the 1 KB static page, read once and served from memory
//   GET  /page?name=   a small page with the name HTML-escaped
//   POST /form         a urlencoded body parsed; 303 to /stats, or 400 without `title`
// usage: velkommen-bench-server --port PORT --hello FILE [--loops N]
#if canImport(Glibc)
import Glibc
#endif

let options = BenchmarkOptions(CommandLine.arguments)
let hello = readWholeFile(options.helloPath)

var router = Router()
router.get("/hello") { _ in
    HTTPResponse(status: .ok, headers: ["Content-Type": "text/html; charset=utf-8"], body: hello)
}
router.get("/page") { request in
    .html(renderPage(name: request.queryValue("name") ?? "world"))
}
router.post("/form", maxBodyBytes: 64 * 1024) { request in
    guard let title = URLEncodedForm.firstValue("title", in: request.body), !title.isEmpty else {
        return .status(.badRequest)
    }
    return .redirect(to: "/stats")
}

var configuration = HTTPServer.Configuration()
configuration.port = options.port
if let loops = options.loops { configuration.eventLoopCount = loops }
let server = HTTPServer(configuration: configuration, handler: router)
let signals = ShutdownSignals { _ in server.shutdown() }
do {
    let port = try server.start()
    // Written unbuffered, so that a harness reading a pipe or file sees the port at once.
    let line = "velkommen-bench-server on 127.0.0.1:\(port)\n"
    _ = line.withCString { write(1, $0, strlen($0)) }
} catch {
    print("velkommen-bench-server: \(error)")
    exit(1)
}
await server.waitUntilStopped()
withExtendedLifetime(signals) {}
