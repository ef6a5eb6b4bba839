import Foundation

/// What a scanned personal QR code (the one in the customer's Vipps or MobilePay app) holds, as a USB
/// scanner types it. A Vipps code carries the number in clear (`https://qr.vipps.no/28/2/01/031/4712345678?v=1`)
/// and is read here without asking anyone; a MobilePay code (and, later, a Vipps one) is a token that only
/// the QR API's exchange can turn into a number. Anything else is refused before Vipps hears of it.
public enum PersonalQR: Sendable, Equatable {
    /// A clear-text code: the number it holds.
    case phone(PhoneNumber)
    /// A tokenized code: the scanned text, to be exchanged as it was scanned.
    case token(String)

    public enum Failure: Error, Sendable, Equatable {
        /// Not a URL of the personal-QR form (too long, control characters, no path, a number out of range…).
        case malformed
        /// A well-formed URL, but not Vipps MobilePay's (a payment link, a web page, another wallet).
        case foreign
    }

    /// The hosts that issue personal codes. `qr.vipps.no` is documented; the MobilePay hosts are what
    /// MobilePay's codes are seen to use (UNCONFIRMED in Vipps' documentation, see docs/vipps-login.md).
    public static let hosts: Set<String> = ["qr.vipps.no", "qr.mobilepay.dk", "qr.mobilepay.fi", "qr.vippsmobilepay.com"]

    /// A scanner sends at most a few hundred characters; a longer text is not a personal code.
    static let maxLength = 512

    /// Whether a till's input looks like a scan rather than a typed number (it has a scheme or letters).
    public static func looksScanned(_ text: String) -> Bool {
        text.contains("://") || text.contains(where: { $0.isLetter })
    }

    public init(scanned text: String) throws(Failure) {
        // A scanner ends with Enter (sometimes CR LF, sometimes a tab); nothing else may be around it.
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.utf8.count <= Self.maxLength,
            trimmed.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F })
        else { throw .malformed }
        guard let url = URLComponents(string: trimmed), let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased(), !host.isEmpty
        else { throw .malformed }
        guard scheme == "https", url.user == nil, url.password == nil, url.port == nil else {
            throw ["http", "https"].contains(scheme) ? .foreign : .malformed
        }
        guard Self.hosts.contains(host) else { throw .foreign }
        let segments = url.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard let last = segments.last, !last.isEmpty, segments.allSatisfy({ !$0.isEmpty }) else { throw .malformed }
        let safe: (Character) -> Bool = { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
        guard segments.allSatisfy({ $0.allSatisfy(safe) }) else { throw .malformed }
        if last.allSatisfy({ $0.isASCII && $0.isNumber }) {
            // A clear-text code: the segments before the number (`28/2/01/031`) are the code's kind and
            // version, digits only.
            guard !segments.dropLast().isEmpty, segments.dropLast().allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
                let phone = try? PhoneNumber(msisdn: String(last))
            else { throw .malformed }
            self = .phone(phone)
        } else {
            // A token: URL-safe characters of a plausible length.
            guard (8...256).contains(last.count) else { throw .malformed }
            self = .token(trimmed)
        }
    }
}
