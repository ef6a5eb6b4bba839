import Crypto
import Foundation

/// The merchant's terms and privacy statement as the customer accepted them inside the login (scope
/// `agreement`, since August 2025: asked on every login from phone number, never in the browser flow).
/// The payload is not documented; the one outline known (`language, description, buttonText, links,
/// timestamp, accepted`) is read, with links either as `delegatedConsents` has them (an object of
/// `termsLinkText`/`termsLinkUrl`/`privacyStatement…`) or as a list of `{title, url}`.
public struct Agreement: Decodable, Sendable, Equatable {
    public var language: String?
    public var description: String?
    public var buttonText: String?
    public var links: [FlowResult.Link]
    /// When Vipps says it was accepted; nil when it does not say.
    public var timestamp: Date?
    /// Absent means accepted: the login cannot complete without it.
    public var accepted: Bool

    enum Keys: String, CodingKey {
        case language, description, text, buttonText, links, timestamp, timeOfAcceptance, accepted
        case termsLinkText, termsLinkUrl, privacyStatementLinkText, privacyStatementLinkUrl
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        language = try? container.decodeIfPresent(String.self, forKey: .language)
        description =
            (try? container.decodeIfPresent(String.self, forKey: .description)) ?? (try? container.decodeIfPresent(String.self, forKey: .text))
        buttonText = try? container.decodeIfPresent(String.self, forKey: .buttonText)
        accepted = (try? container.decodeIfPresent(Bool.self, forKey: .accepted)) ?? true
        timestamp = Self.time(container, .timestamp) ?? Self.time(container, .timeOfAcceptance)
        if let object = try? container.nestedContainer(keyedBy: Keys.self, forKey: .links) {
            func text(_ key: Keys) -> String? { try? object.decodeIfPresent(String.self, forKey: key) }
            links = [
                FlowResult.Link(title: text(.termsLinkText), url: text(.termsLinkUrl)),
                FlowResult.Link(title: text(.privacyStatementLinkText), url: text(.privacyStatementLinkUrl)),
            ].filter { $0.title != nil || $0.url != nil }
        } else if let list = try? container.decodeIfPresent([LenientLink].self, forKey: .links) {
            links = list.map(\.link)
        } else {
            links = []
        }
    }

    /// The version of what was shown: SHA-256 (hex, first 16 characters) over the language, the text,
    /// the button and each link's words and address. The same terms in another language, or the same
    /// address with new words, is another version: it is another thing the customer read.
    public var version: String {
        let parts = [language ?? "", description ?? "", buttonText ?? ""] + links.flatMap { [$0.title ?? "", $0.url ?? ""] }
        let digest = SHA256.hash(data: Data(parts.joined(separator: "\u{1F}").utf8))
        return digest.map { String(format: "%02x", $0) }.joined().prefix(16).description
    }

    static func time(_ container: KeyedDecodingContainer<Keys>, _ key: Keys) -> Date? {
        if let text = try? container.decodeIfPresent(String.self, forKey: key) {
            return ISO8601DateFormatter().date(from: text)
        }
        if let seconds = try? container.decodeIfPresent(Double.self, forKey: key) {
            // Milliseconds when it is too large to be seconds.
            return Date(timeIntervalSince1970: seconds > 100_000_000_000 ? seconds / 1000 : seconds)
        }
        return nil
    }

    struct LenientLink: Decodable {
        var link: FlowResult.Link

        enum Keys: String, CodingKey { case title, text, label, url, href }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Keys.self)
            func text(_ key: Keys) -> String? { try? container.decodeIfPresent(String.self, forKey: key) }
            link = FlowResult.Link(title: text(.title) ?? text(.text) ?? text(.label), url: text(.url) ?? text(.href))
        }
    }
}
