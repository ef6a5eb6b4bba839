import Foundation
import Storage
import TestSupport
import Testing

@testable import App

@Suite("Images for pages: uploaded by marketing, checked, served to everyone, shown in a page")
struct PageImagesTests {
    /// A 1×1 PNG.
    static let png: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF,
        0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60,
        0x82,
    ]

    @Test("an image with alt text is stored once by its content, served with a long cache life, and a page shows it")
    func upload() async throws {
        try await OnboardingHarness.with { harness in
            let editor = try await harness.staff("marketing", msisdn: "4798765432")
            let csrf = try #require(Browser.hidden("csrf", in: try await editor.get("/admin/pages/media").text))
            let file = (name: "image", filename: "kaffe.png", type: "image/png", bytes: Self.png)
            let added = try await editor.postMultipart("/admin/pages/media", fields: [("csrf", csrf), ("alt", "En kopp [kaffe]")], file: file)
            #expect(added.status == 303)
            let page = try await editor.get(try #require(added.header("Location")))
            let name = try #require(page.text.firstMatch(of: /\/media\/([0-9a-f]{24}\.png)/)).1
            #expect(page.text.contains(#"![En kopp \[kaffe\]](/media/\#(name))"#), "the Markdown to paste, with the brackets escaped")
            let customer = Browser(port: harness.app.port)
            let image = try await customer.get("/media/\(name)")
            #expect(image.status == 200 && image.header("Content-Type") == "image/png" && image.body == Self.png)
            #expect(image.header("Cache-Control")?.contains("immutable") == true)
            #expect(try await editor.postMultipart("/admin/pages/media", fields: [("csrf", csrf), ("alt", "Igjen")], file: file).status == 303)
            #expect(try await MediaStore(pool: harness.app.app.database).recent().count == 1, "the same bytes are stored once")

            let form = try #require(Browser.hidden("csrf", in: try await editor.get("/admin/pages/edit").text))
            let saved = try await editor.post(
                "/admin/pages/save",
                form: [
                    ("csrf", form), ("title", "Kaffe"), ("slug", "kaffebilde"), ("kind", "offer"), ("lang", "nb"), ("audience", "all"),
                    ("body", "Smak!\n\n![En kopp kaffe](/media/\(name))"), ("action", "publish"),
                ])
            #expect(saved.status == 303)
            #expect(try await customer.get("/offers/kaffebilde").text.contains(#"<img src="/media/\#(name)" alt="En kopp kaffe""#))
        }
    }

    @Test(
        "refused with a clear message, nothing stored: no alt text, not an image, too large, no CSRF token",
        arguments: [
            ("", "image/png", "png", "Skriv en beskrivelse", 422), ("Kaffe", "image/svg+xml", "svg", "ikke et PNG", 422),
            ("Kaffe", "image/png", "big", "for stort", 422), ("Kaffe", "image/png", "nocsrf", "", 403),
        ] as [(String, String, String, String, Int)])
    func refused(alt: String, type: String, kind: String, message: String, status: Int) async throws {
        try await OnboardingHarness.with { harness in
            let editor = try await harness.staff("marketing", msisdn: "4798765432")
            let csrf = try #require(Browser.hidden("csrf", in: try await editor.get("/admin/pages/media").text))
            let bytes: [UInt8] =
                switch kind {
                case "svg": Array(#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#.utf8)
                case "big": Self.png + [UInt8](repeating: 0, count: MediaUploads.maxBytes)
                default: Self.png
                }
            let fields = kind == "nocsrf" ? [("alt", alt)] : [("csrf", csrf), ("alt", alt)]
            let response = try await editor.postMultipart("/admin/pages/media", fields: fields, file: ("image", "x." + kind, type, bytes))
            #expect(response.status == status)
            if !message.isEmpty { #expect(response.text.contains(message)) }
            #expect(try await MediaStore(pool: harness.app.app.database).recent().isEmpty)
        }
    }

    @Test("an upload past what the server reads gets the site's page in the visitor's language, and the API a JSON problem")
    func pastTheLimit() async throws {
        try await OnboardingHarness.with { harness in
            let editor = try await harness.staff("marketing", msisdn: "4798765432")
            let csrf = try #require(Browser.hidden("csrf", in: try await editor.get("/admin/pages/media").text))
            let file = ("image", "stort.png", "image/png", Self.png + [UInt8](repeating: 0, count: 3 * MediaUploads.maxBytes))
            let refused = try await editor.postMultipart("/admin/pages/media", fields: [("csrf", csrf), ("alt", "Stort")], file: file)
            #expect(refused.status == 413)
            #expect(refused.header("Content-Type")?.hasPrefix("text/html") == true)
            #expect(refused.text.contains("Bildet er for stort") && refused.text.contains("2 MB"), "a page in Norwegian that names the limit")
            let client = try RawClient(port: harness.app.port, timeout: 5)
            client.send("POST /preferences HTTP/1.1\r\nHost: t\r\nAccept-Language: en\r\nContent-Length: 999999\r\n\r\n")
            let page = try await client.readResponse()
            #expect(page.status == 413 && page.text.contains("What you sent is too large"))
            #expect(!page.text.contains("image"), "a customer's form says nothing about images")
            let api = try RawClient(port: harness.app.port, timeout: 5)
            api.send("POST /api/v1/logins HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 99999999\r\n\r\n")
            let problem = try await api.readResponse()
            #expect(problem.status == 413 && problem.header("Content-Type") == "application/problem+json")
            #expect(problem.text.contains(#""type""#) && problem.text.contains("too-large"))
            #expect(try await MediaStore(pool: harness.app.app.database).recent().isEmpty)
        }
    }

    @Test("a member or a stranger cannot upload; an unknown or malformed name is a 404")
    func strangers() async throws {
        try await OnboardingHarness.with { harness in
            let stranger = Browser(port: harness.app.port)
            let upload = try await stranger.get("/admin/pages/media")
            let unknown = try await stranger.get("/media/000000000000000000000000.png")
            let traversal = try await stranger.get("/media/..%2f..%2fetc%2fpasswd")
            #expect(upload.status != 200 && unknown.status == 404 && traversal.status == 404)
        }
    }
}
