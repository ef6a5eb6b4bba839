import Content
import Crypto
import Foundation
import HTTPServer
import Storage

/// Images for pages: `/admin/pages/media` uploads one (PNG, JPEG, GIF or WebP by its bytes, not its
/// name; at most 2 MiB; alt text required) and shows the Markdown to paste into a page; `/media/NAME`
/// serves it to everyone, named by its content's hash, so it can be cached for good.
struct MediaUploads: Sendable {
    let access: StaffAccess
    let staff: StaffStore
    let store: MediaStore
    let pages: StaffPages

    static let maxBytes = 2 * 1024 * 1024
    /// Where the upload form posts (`/media` in the `/admin/pages` group): a refusal there names the image.
    static let path = "/admin/pages/media"
    static let maxAltLength = 250

    func list(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await render(request, notice: request.queryValue("added").flatMap { Self.isName($0) ? $0 : nil })
    }

    func upload(_ request: HTTPRequest) async throws -> HTTPResponse {
        let session = try request.staffSession
        let form = try? MultipartForm(body: request.body, contentType: request.headers["Content-Type"] ?? "")
        try access.checkCSRF(form?.fields, session, request)
        let language = VisitorLanguage.resolve(request).language
        func refuse(_ key: String) async throws -> HTTPResponse {
            try await render(request, error: pages.views.text(key, in: language), status: .unprocessableContent)
        }
        guard let file = form?.parts.first(where: { $0.name == "image" }), !file.body.isEmpty else { return try await refuse("media_error_missing") }
        guard file.body.count <= Self.maxBytes else { return try await refuse("media_error_too_large") }
        guard let kind = Self.imageType(file.body) else { return try await refuse("media_error_type") }
        let alt = (form?.fields["alt"] ?? "").replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
            .trimmingCharacters(in: .whitespaces)
        guard !alt.isEmpty, alt.count <= Self.maxAltLength else { return try await refuse("media_error_alt") }
        let name = SHA256.hash(data: file.body).prefix(12).map { String(format: "%02x", $0) }.joined() + "." + kind.ext
        let author = session.staff.name ?? session.staff.phone
        try await store.add(MediaItem(name: name, contentType: kind.type, bytes: Data(file.body), alt: alt, author: author, createdAt: Date()))
        try await staff.audit(session.staff, action: "media.upload", detail: "\(name) (\(file.body.count) bytes)")
        return .redirect(to: "/admin/pages/media?added=\(name)")
    }

    /// `GET /media/NAME`.
    func serve(_ request: HTTPRequest, name: String) async throws -> HTTPResponse {
        guard Self.isName(name), let item = try await store.find(name: name) else { return .status(.notFound) }
        var response = HTTPResponse(status: .ok, headers: ["Content-Type": item.contentType], body: Array(item.bytes))
        // The name is the content's hash: it never changes.
        response.headers.set("Cache-Control", "public, max-age=31536000, immutable")
        return response
    }

    private func render(_ request: HTTPRequest, notice: String? = nil, error: String? = nil, status: HTTPStatus = .ok) async throws -> HTTPResponse {
        let session = try request.staffSession
        let items = try await store.recent()
        var context: [String: Any] = [
            "items": items.map {
                ["name": $0.name, "alt": $0.alt, "markdown": "![\(Self.markdownText($0.alt))](/media/\($0.name))", "author": $0.author]
            },
            "maxMiB": Self.maxBytes / 1024 / 1024, "maxBytes": Self.maxBytes,
        ]
        if let notice, let item = items.first(where: { $0.name == notice }) {
            context["added"] = "![\(Self.markdownText(item.alt))](/media/\(item.name))"
        }
        if let error { context["error"] = error }
        return try pages.page("pages/admin-media", request, session, context, status: status)
    }

    /// Alt text inside `![…]`: brackets and backslashes escaped, so it cannot end the image early.
    static func markdownText(_ alt: String) -> String {
        alt.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "[", with: "\\[").replacingOccurrences(of: "]", with: "\\]")
    }

    static func isName(_ name: String) -> Bool {
        let parts = name.split(separator: ".")
        return parts.count == 2 && parts[0].count == 24 && parts[0].allSatisfy(\.isHexDigit) && ["png", "jpg", "gif", "webp"].contains(parts[1])
    }

    /// The image type from the file's first bytes; nil for anything else (an SVG, a script named .png).
    static func imageType(_ bytes: [UInt8]) -> (type: String, ext: String)? {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return ("image/png", "png") }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return ("image/jpeg", "jpg") }
        if bytes.starts(with: Array("GIF87a".utf8)) || bytes.starts(with: Array("GIF89a".utf8)) { return ("image/gif", "gif") }
        if bytes.count > 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) { return ("image/webp", "webp") }
        return nil
    }
}
