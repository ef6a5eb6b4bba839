import Content
import Testing

@Suite("Placeholders filled per visitor")
struct PlaceholderTests {
    @Test("values are filled in and HTML-escaped")
    func escaped() {
        let template = PlaceholderTemplate(html: Markdown.html(from: "Hei, {{given_name}}! Velkommen til {{ store }}."))
        let html = template.render([.givenName: "<script>alert('x')</script> & \"Bob\"", .store: "Oslo"])
        #expect(html == "<p>Hei, &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Bob&quot;! Velkommen til Oslo.</p>\n")
    }

    @Test("a placeholder without a value is empty; unknown names and lone braces stay text")
    func missing() {
        let template = PlaceholderTemplate(html: "<p>{{given_name}}|{{nope}}|{ {x}}|{{}}</p>")
        #expect(template.render([:]) == "<p>|{{nope}}|{ {x}}|{{}}</p>")
        #expect(template.placeholders == [.givenName])
    }

    @Test("non-ASCII text around and inside values survives")
    func unicode() {
        let template = PlaceholderTemplate(html: "Blåbær {{name}} 😀")
        #expect(template.render([.name: "Åse Ødegård"]) == "Blåbær Åse Ødegård 😀")
    }

    @Test("a fallback stands in for a missing or empty value, survives Markdown, and is never a hole")
    func fallback() {
        let template = PlaceholderTemplate(
            html: Markdown.html(from: "Hei, {{given_name|kjære medlem}}! Tilbud i {{ store | butikken vår }}. {{family_name}}"))
        #expect(template.render([.givenName: "Ada", .store: "Oslo sentrum"]) == "<p>Hei, Ada! Tilbud i Oslo sentrum. </p>\n")
        #expect(template.render([.givenName: ""]) == "<p>Hei, kjære medlem! Tilbud i butikken vår. </p>\n")
        #expect(template.holes([:]) == [.familyName], "only the one without a fallback")
        #expect(template.holes([.familyName: "Lovelace"]).isEmpty)
        let again = PlaceholderTemplate(html: template.htmlWithTokens)
        #expect(again.render([:]) == template.render([:]), "the tokens keep their fallbacks")
    }

    @Test("a fallback is HTML-escaped by Markdown like the rest of the page", arguments: ["<b>x</b>", "a & b"])
    func fallbackEscaped(_ text: String) {
        let template = PlaceholderTemplate(html: Markdown.html(from: "{{given_name|\(text)}}"))
        #expect(!template.render([:]).contains("<b>"))
    }
}
