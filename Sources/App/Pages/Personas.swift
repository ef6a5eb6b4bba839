import Content

/// The kinds of visitor a page can be shown to, with the values its placeholders would get: what the
/// editor previews and checks a page against before customers see it.
struct Persona: Sendable {
    let id: String
    let visitor: Visitor
    let values: [Placeholder: String]

    static let named: [Placeholder: String] = [.givenName: "Ada", .familyName: "Lovelace", .name: "Ada Lovelace", .store: "Oslo sentrum"]

    /// Anonymous visitors see offers (welcome pages are for members: they get the login page instead).
    /// A member's store may have no display name (a login from /login, or a store without one).
    static let all: [Persona] = [
        Persona(id: "first", visitor: Visitor(isFirstVisit: true), values: named),
        Persona(id: "returning", visitor: Visitor(isFirstVisit: false), values: named),
        Persona(id: "no-store", visitor: Visitor(isFirstVisit: false), values: named.filter { $0.key != .store }),
        Persona(id: "anonymous", visitor: .anonymous, values: [:]),
    ]

    static func consent(_ id: String) -> Persona { Persona(id: id, visitor: Visitor(isFirstVisit: false, consents: [id]), values: named) }

    static func named(_ id: String) -> Persona { all.first { $0.id == id } ?? consent(id) }

    /// Whether this persona is ever shown `page`.
    func sees(_ page: Page) -> Bool {
        if id == "anonymous" && page.kind == .welcome { return false }
        return visitor.sees(page.audience)
    }

    /// The placeholders of `page` that would render empty for some persona it is shown to, by persona.
    static func holes(in page: Page) -> [(persona: String, placeholders: [Placeholder])] {
        let html = RenderedPage(revisionID: 0, page: page).html
        var personas = all
        if case .consent(let id) = page.audience { personas.append(consent(id)) }
        return personas.filter { $0.sees(page) }.compactMap { persona in
            let holes = html.holes(persona.values)
            return holes.isEmpty ? nil : (persona.id, holes)
        }
    }
}
