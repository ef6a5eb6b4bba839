/// The languages every customer-facing string exists in.
public enum Language: String, Sendable, CaseIterable, Comparable {
    case nb
    case en

    /// What a visitor sees when nothing says otherwise: the merchant's customers are in Norway.
    public static let fallback = Language.nb

    /// The visitor's language: the member's own choice first, then the browser's `Accept-Language`
    /// (highest q first; `no`, `nb` and `nn` all mean Norwegian), then Norwegian, except for a browser
    /// that asks only for languages we do not speak and none a Scandinavian reads as Norwegian (Danish,
    /// Swedish): a Finnish or German phone gets English, which it is likelier to read.
    public static func negotiate(choice: Language?, acceptLanguage: String?) -> Language {
        if let choice { return choice }
        if let acceptLanguage, let preferred = preferred(in: acceptLanguage) { return preferred }
        if let acceptLanguage, asksOnlyForOthers(acceptLanguage) { return .en }
        return fallback
    }

    /// Whether the header names languages (with q above 0), none of them Danish or Swedish, and does
    /// not refuse English.
    static func asksOnlyForOthers(_ header: String) -> Bool {
        var named = false
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";")
            guard let tag = parts.first?.trimmingSpaces.lowercased(), !tag.isEmpty, tag != "*" else { continue }
            let primary = tag.split(separator: "-").first.map(String.init) ?? tag
            let refused = parts.dropFirst().contains { parameter in
                let pair = parameter.trimmingSpaces.split(separator: "=", maxSplits: 1)
                return pair.count == 2 && pair[0].lowercased() == "q" && (Double(pair[1]) ?? 0) <= 0
            }
            if primary == "en" && refused { return false }
            if refused || !primary.allSatisfy(\.isLetter) { continue }
            if ["da", "sv"].contains(primary) { return false }
            named = true
        }
        return named
    }

    /// The first language of ours in an `Accept-Language` value, by quality; nil when none is acceptable.
    static func preferred(in header: String) -> Language? {
        var best: (language: Language, quality: Double, position: Int)?
        for (position, item) in header.split(separator: ",").enumerated() {
            let parts = item.split(separator: ";")
            guard let tag = parts.first?.trimmingSpaces.lowercased(), !tag.isEmpty else { continue }
            let primary = tag.split(separator: "-").first.map(String.init) ?? tag
            guard let language = Language(primarySubtag: primary) else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.trimmingSpaces.split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0].lowercased() == "q" { quality = Double(pair[1]) ?? 0 }
            }
            guard quality > 0 else { continue }
            if best == nil || quality > best!.quality { best = (language, quality, position) }
        }
        return best?.language
    }

    init?(primarySubtag: String) {
        switch primarySubtag {
        case "nb", "no", "nn": self = .nb
        case "en": self = .en
        default: return nil
        }
    }

    /// The value for `<html lang>`.
    public var htmlLang: String { rawValue }

    public static func < (lhs: Language, rhs: Language) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension Substring {
    var trimmingSpaces: Substring {
        var slice = self
        while slice.first == " " || slice.first == "\t" { slice.removeFirst() }
        while slice.last == " " || slice.last == "\t" { slice.removeLast() }
        return slice
    }
}
