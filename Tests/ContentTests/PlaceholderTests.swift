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
}
