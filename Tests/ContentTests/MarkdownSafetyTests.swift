import Content
import Testing

@Suite("Markdown in safe mode")
struct MarkdownSafetyTests {
    @Test("script tags in the Markdown never reach the HTML")
    func scriptTags() {
        let html = Markdown.html(from: "Hei\n\n<script>alert(1)</script>\n\nInline <script>x()</script> too <img src=x onerror=alert(1)>")
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("onerror"))
        #expect(html.contains("<p>Hei</p>"))
    }

    @Test("javascript: and vbscript: links are emptied; https links are kept")
    func dangerousLinks() {
        let html = Markdown.html(from: "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](vbscript:x) ![d](javascript:x) [e](https://vipps.no)")
        #expect(!html.lowercased().contains("javascript:"))
        #expect(!html.lowercased().contains("vbscript:"))
        #expect(html.contains("href=\"https://vipps.no\""))
    }

    @Test("HTML comments are dropped, their text with them")
    func comments() {
        let html = Markdown.html(from: "Before\n\n<!-- secret campaign note -->\n\nAfter <!-- inline secret -->")
        #expect(!html.contains("secret"))
        #expect(html.contains("After"))
    }

    @Test("smart punctuation turns quotes and dashes typographic")
    func smartPunctuation() {
        let html = Markdown.html(from: "\"Hei\" -- sa hun... it's")
        #expect(html.contains("“Hei”"))
        #expect(html.contains("–"))
        #expect(html.contains("…"))
        #expect(html.contains("it’s"))
    }

    @Test("text that looks like markup is escaped")
    func escaping() {
        #expect(Markdown.html(from: "5 < 6 & \"q\"").contains("5 &lt; 6 &amp;"))
    }
}
