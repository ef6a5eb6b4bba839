#if canImport(Glibc)
import Glibc
#endif

/// Serves files below a root folder (`Public/`), with content types, `ETag`, `Last-Modified`, 304s
/// and `Cache-Control`. Mount it on a route ending in `*`. Nothing outside the root can be reached:
/// `..` and `.` segments, encoded slashes, hidden files and symbolic links that lead out are refused.
public struct StaticFiles: HTTPHandler {
    /// The root, resolved: every served file's real path must start with it.
    public let root: String
    public var cacheControl: String
    /// Files larger than this are not served (the server holds a response in memory).
    public var maxFileBytes: Int = 32 * 1024 * 1024
    /// Answers for a file that is not there (or may not be shown).
    public var notFound: any HTTPHandler = ClosureHandler { _ in .status(.notFound) }
    let cache: FileCache

    /// Fails when `root` is not a folder. A change to a file is served within `freshForMilliseconds`.
    public init(root: String, cacheControl: String = "public, max-age=300", freshForMilliseconds: Int = 1000) throws(SocketError) {
        guard let resolved = realpath(root, nil) else { throw SocketError(operation: "realpath \(root)", code: errno) }
        defer { free(resolved) }
        self.root = String(cString: resolved)
        self.cacheControl = cacheControl
        cache = FileCache(freshForMilliseconds: freshForMilliseconds)
    }

    public func handle(_ request: HTTPRequest) async throws -> HTTPResponse {
        let rest = request.pathParameters[Router.restParameter] ?? String(request.path.drop { $0 == "/" })
        guard let relative = Self.safeRelativePath(rest),
            let file = cache.file(relative, load: { FileSnapshot(path: root + "/" + relative, within: root, maxBytes: maxFileBytes) })
        else { return try await notFound.handle(request) }
        var headers: HTTPHeaders = [
            "ETag": file.entityTag,
            "Last-Modified": HTTPDate.format(secondsSince1970: file.modifiedSeconds),
            "Cache-Control": cacheControl,
        ]
        if Self.isNotModified(request.headers, file: file) {
            return HTTPResponse(status: .notModified, headers: headers)
        }
        headers.add("Content-Type", MIMEType.forFile(relative))
        return HTTPResponse(status: .ok, headers: headers, body: file.contents)
    }

    /// If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
    static func isNotModified(_ headers: HTTPHeaders, file: FileSnapshot) -> Bool {
        if let tags = headers["If-None-Match"] {
            return tags.split(separator: ",").contains { tag in
                let trimmed = tag.trimmingSpaces
                return trimmed == "*" || trimmed == file.entityTag || trimmed == "W/" + file.entityTag
            }
        }
        if let since = headers["If-Modified-Since"].flatMap(HTTPDate.parse) {
            return file.modifiedSeconds <= since
        }
        return false
    }

    /// Decodes each segment strictly and refuses anything that could name a file outside the root.
    static func safeRelativePath(_ rawPath: String) -> String? {
        var segments: [String] = []
        for raw in rawPath.utf8.split(separator: .slash, omittingEmptySubsequences: false) {
            guard let decoded = PercentDecoding.decode(raw, plusAsSpace: false, mode: .strict), !decoded.isEmpty,
                decoded.first != UInt8(ascii: "."),
                !decoded.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == .slash || $0 == UInt8(ascii: "\\") })
            else { return nil }
            segments.append(String(decoding: decoded, as: UTF8.self))
        }
        return segments.isEmpty ? nil : segments.joined(separator: "/")
    }
}

/// A regular file read whole, with what its validators are made of.
struct FileSnapshot: Sendable {
    var contents: [UInt8]
    var modifiedSeconds: Int
    var entityTag: String
}

extension FileSnapshot {
    /// Nil when the file is missing, not a regular file, too large, or really lies outside `root`.
    init?(path: String, within root: String, maxBytes: Int) {
        guard let resolved = realpath(path, nil) else { return nil }
        let real = String(cString: resolved)
        free(resolved)
        guard real.hasPrefix(root + "/") else { return nil }
        let fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) <= maxBytes else { return nil }
        let size = Int(info.st_size)
        var contents = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let count = contents.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, size - done) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return nil }
            done += count
        }
        self.contents = contents
        modifiedSeconds = Int(info.st_mtim.tv_sec)
        let nanos = Int(info.st_mtim.tv_sec) &* 1_000_000_000 &+ Int(info.st_mtim.tv_nsec)
        entityTag = "\"\(String(size, radix: 16))-\(String(nanos, radix: 16))\""
    }
}
