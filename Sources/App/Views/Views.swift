import Content
import HTTPServer

/// Renders the Mustache templates into HTML responses, with the UI strings of the visitor's language
/// (`t`), the `lang` attribute and the link to the other language filled in for every page.
public struct Views: Sendable {
    let renderer: TemplateRenderer
    public let localization: Localization
    private let cache = RenderCache()

    public init(renderer: TemplateRenderer, localization: Localization) {
        self.renderer = renderer
        self.localization = localization
    }

    /// Loads the templates and the strings from `directory` (`Templates/`).
    public static func load(from directory: String) async throws -> Views {
        Views(
            renderer: try await TemplateRenderer(directory: directory),
            localization: try Localization(directory: directory + "/i18n"))
    }

    /// The page `template` in `language`, as a response with `status`.
    public func page(_ template: String, in language: Language, status: HTTPStatus = .ok, _ context: [String: Any] = [:]) throws -> HTTPResponse {
        response(Array(try render(template, in: language, context).utf8), in: language, status: status)
    }

    /// The page `template` rendered once per `key` (which must name everything the context depends on
    /// besides the template and language) and catalog `generation`, then filled with `values` per request.
    /// Per-visitor text goes into the context only as placeholder tokens.
    public func cachedPage(
        _ template: String, key: String, generation: Int, in language: Language, status: HTTPStatus = .ok,
        values: [Placeholder: String], _ context: () -> [String: Any]
    ) throws -> HTTPResponse {
        let page = try cache.page("\(template)|\(language.rawValue)|\(key)", generation: generation) {
            try render(template, in: language, context())
        }
        return response(page.renderBytes(values), in: language, status: status)
    }

    private func render(_ template: String, in language: Language, _ context: [String: Any]) throws -> String {
        var context = context
        // A page may bring its strings already adapted (the till's, in the store's brand).
        if context["t"] == nil { context["t"] = localization.strings(for: language) }
        context["lang"] = language.htmlLang
        let other = language == .nb ? Language.en : .nb
        context["otherLanguage"] = ["code": other.rawValue, "label": localization.text("other_language", in: language)]
        return try renderer.render(template, context)
    }

    private func response(_ body: [UInt8], in language: Language, status: HTTPStatus) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "text/html; charset=utf-8", "Content-Language": language.rawValue], body: body)
    }

    /// The problem page: `<key>_heading` and `<key>_message` from the UI strings, with `status`. Rendered
    /// once per key and language, then cached like every other static page.
    public func problem(_ key: String, in language: Language, status: HTTPStatus) throws -> HTTPResponse {
        try cachedPage("pages/problem", key: key, generation: 0, in: language, status: status, values: [:]) {
            ["heading": text(key + "_heading", in: language), "message": text(key + "_message", in: language)]
        }
    }

    /// Every UI string of `language`, for a page that adapts them before rendering.
    public func strings(in language: Language) -> [String: String] { localization.strings(for: language) }

    /// One UI string.
    public func text(_ key: String, in language: Language) -> String { localization.text(key, in: language) }
}
