/// What a page is for: the greeting page after login, or an offer in the offer list.
public enum PageKind: String, Sendable, CaseIterable {
    case welcome
    case offer
}

/// Who a page is for. Consent audiences name a delegated consent (`sms`, `email`, …) and match members
/// who accepted it.
public enum Audience: Sendable, Hashable, CustomStringConvertible {
    case all
    case firstVisit
    case returning
    case consent(String)

    public init?(_ text: String) {
        switch text {
        case "all": self = .all
        case "first-visit": self = .firstVisit
        case "returning": self = .returning
        default:
            guard !text.isEmpty, text.count <= 40, text.utf8.allSatisfy({ PageSlug.isSlugByte($0) || $0 == UInt8(ascii: "_") }) else { return nil }
            self = .consent(text)
        }
    }

    public var description: String {
        switch self {
        case .all: "all"
        case .firstVisit: "first-visit"
        case .returning: "returning"
        case .consent(let id): id
        }
    }
}

/// Slugs are the last part of a page's URL: lower-case letters, digits and dashes.
enum PageSlug {
    static func isValid(_ slug: String) -> Bool {
        !slug.isEmpty && slug.utf8.count <= 80 && slug.utf8.allSatisfy(isSlugByte)
            && slug.first != "-" && slug.last != "-"
    }

    static func isSlugByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: "-")
    }
}
