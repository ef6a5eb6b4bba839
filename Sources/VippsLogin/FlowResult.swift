import Foundation

/// What the customer answered in the merchant's own consent screens (scope `customFlow`, Vipps'
/// recommendation since January 2026), as userinfo's `flowResult`. Only its outline is documented
/// (screens with a title, a description, terms links and checkbox elements whose ids the merchant
/// chooses); the rest is read leniently: a checkbox's words may come as `title`, `text` or `label`, its
/// answer as `checked`, `accepted` or `value`, links under the screen's `terms` or directly on it.
public struct FlowResult: Decodable, Sendable, Equatable {
    public struct Link: Sendable, Equatable, Codable {
        public var title: String?
        public var url: String?
    }

    public struct Element: Sendable, Equatable {
        public var type: String
        public var id: String?
        public var title: String?
        public var checked: Bool?
        public var required: Bool?

        public var isCheckbox: Bool { type.lowercased() == "checkbox" }
    }

    public struct Screen: Sendable, Equatable {
        public var title: String?
        public var description: String?
        public var links: [Link]
        public var elements: [Element]
    }

    /// One checkbox with the screen it was shown on: the unit the consent ledger records.
    public struct Checkbox: Sendable, Equatable {
        public var id: String
        public var title: String?
        public var checked: Bool
        public var required: Bool?
        public var screen: Screen
    }

    public var language: String?
    public var screens: [Screen]

    /// Every checkbox with an id, in the order shown; one without an answer counts as not ticked.
    public var checkboxes: [Checkbox] {
        screens.flatMap { screen in
            screen.elements.compactMap { element in
                guard element.isCheckbox, let id = element.id, !id.isEmpty else { return nil }
                return Checkbox(id: id, title: element.title, checked: element.checked ?? false, required: element.required, screen: screen)
            }
        }
    }

    enum Keys: String, CodingKey {
        case language, screens, title, description, terms, links, elements, type, id, text, label, checked, accepted, value, required
        case url, href
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        language = try? container.decodeIfPresent(String.self, forKey: .language)
        var screens: [Screen] = []
        if var list = try? container.nestedUnkeyedContainer(forKey: .screens) {
            while !list.isAtEnd {
                guard let screen = try? list.nestedContainer(keyedBy: Keys.self) else {
                    _ = try? list.decode(Discarded.self)
                    continue
                }
                screens.append(Self.screen(screen))
            }
        }
        self.screens = screens
    }

    static func screen(_ container: KeyedDecodingContainer<Keys>) -> Screen {
        var links = (try? container.nestedContainer(keyedBy: Keys.self, forKey: .terms)).map(Self.links) ?? []
        links += Self.links(container)
        var elements: [Element] = []
        if var list = try? container.nestedUnkeyedContainer(forKey: .elements) {
            while !list.isAtEnd {
                guard let element = try? list.nestedContainer(keyedBy: Keys.self) else {
                    _ = try? list.decode(Discarded.self)
                    continue
                }
                elements.append(
                    Element(
                        type: (try? element.decodeIfPresent(String.self, forKey: .type)) ?? "checkbox",
                        id: Self.string(element, .id),
                        title: Self.string(element, .title) ?? Self.string(element, .text) ?? Self.string(element, .label),
                        checked: Self.bool(element, .checked) ?? Self.bool(element, .accepted) ?? Self.bool(element, .value),
                        required: Self.bool(element, .required)))
            }
        }
        return Screen(
            title: Self.string(container, .title), description: Self.string(container, .description), links: links, elements: elements)
    }

    static func links(_ container: KeyedDecodingContainer<Keys>) -> [Link] {
        guard var list = try? container.nestedUnkeyedContainer(forKey: .links) else { return [] }
        var links: [Link] = []
        while !list.isAtEnd {
            guard let link = try? list.nestedContainer(keyedBy: Keys.self) else {
                _ = try? list.decode(Discarded.self)
                continue
            }
            links.append(
                Link(
                    title: Self.string(link, .title) ?? Self.string(link, .text) ?? Self.string(link, .label),
                    url: Self.string(link, .url) ?? Self.string(link, .href)))
        }
        return links
    }

    static func string(_ container: KeyedDecodingContainer<Keys>, _ key: Keys) -> String? {
        if let text = try? container.decodeIfPresent(String.self, forKey: key) { return text }
        // An id may be a number in a flow builder's export.
        return (try? container.decodeIfPresent(Int.self, forKey: key)).flatMap { $0.map(String.init) }
    }

    /// `true`, or the strings `"true"`/`"checked"` some form builders send.
    static func bool(_ container: KeyedDecodingContainer<Keys>, _ key: Keys) -> Bool? {
        if let value = try? container.decodeIfPresent(Bool.self, forKey: key) { return value }
        if let text = try? container.decodeIfPresent(String.self, forKey: key) {
            return ["true", "checked", "yes", "on"].contains(text.lowercased())
        }
        return nil
    }
}

/// Anything, skipped: an array entry of a shape this client does not know.
struct Discarded: Decodable {
    init(from decoder: any Decoder) throws {}
}
