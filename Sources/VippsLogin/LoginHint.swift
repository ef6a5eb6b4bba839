/// A mobile number as Vipps wants it: `urn:msisdn:` and the calling code with the number, digits only.
/// Accepts what staff type at a till: `+47 412 34 567`, `0047 41234567`, `41234567` (the store's
/// country), `4741234567`, `+45 12 34 56 78`, `+358 40 123 4567`, `040 123 4567` at a Finnish store,
/// `+299 12 34 56`.
public struct PhoneNumber: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Digits only, with country code: `4741234567`.
    public let msisdn: String
    public let country: PhoneCountry

    /// `defaultCountry` is the store's: a number typed without a calling code is read as one of its.
    public init(_ text: String, defaultCountry: PhoneCountry = .norway) throws(VippsLoginError) {
        var digits = Substring(text.filter { !" -.()\u{00A0}".contains($0) })
        var international = false
        if digits.hasPrefix("+") {
            digits.removeFirst()
            international = true
        } else if digits.hasPrefix("00") {
            digits.removeFirst(2)
            international = true
        }
        guard !digits.isEmpty, digits.count <= 15, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw .invalidPhoneNumber }
        if international {
            guard let country = PhoneCountry.byCallingCode(prefixing: digits) else { throw .invalidPhoneNumber }
            try self.init(country: country, national: digits.dropFirst(country.callingCode.count))
            return
        }
        // Without a prefix: the store's own country, written with its calling code or without; then
        // another market's number written with its calling code (`4512345678` at a Norwegian till).
        let home = defaultCountry
        if digits.hasPrefix(home.callingCode), home.nationalLengths.contains(digits.count - home.callingCode.count),
            !(home == .finland && digits.hasPrefix("0"))
        {
            try self.init(country: home, national: digits.dropFirst(home.callingCode.count))
        } else if home == .finland, digits.hasPrefix("0"), home.nationalLengths.contains(digits.count - 1) {
            // Finns write their numbers with the trunk 0: 040 123 4567.
            try self.init(country: home, national: digits.dropFirst())
        } else if home.nationalLengths.contains(digits.count) {
            try self.init(country: home, national: digits)
        } else if let other = PhoneCountry.byCallingCode(prefixing: digits), other != home,
            other.nationalLengths.contains(digits.count - other.callingCode.count)
        {
            try self.init(country: other, national: digits.dropFirst(other.callingCode.count))
        } else {
            throw .invalidPhoneNumber
        }
    }

    private init(country: PhoneCountry, national: Substring) throws(VippsLoginError) {
        // Real Norwegian mobile numbers start with 4 or 9, but Vipps' test users do not (4712345678 is
        // their documented example), so any number of the right length is sent and Vipps decides.
        guard country.nationalLengths.contains(national.count), !national.hasPrefix("0") else { throw .invalidPhoneNumber }
        self.country = country
        msisdn = country.callingCode + national
    }

    /// A number Vipps sent or we stored (`4741234567`, `358401234567`), digits with the calling code.
    public init(msisdn: String) throws(VippsLoginError) {
        try self.init("+" + msisdn)
    }

    public var loginHint: String { "urn:msisdn:" + msisdn }

    /// The digits after the calling code.
    public var national: String { String(msisdn.dropFirst(country.callingCode.count)) }

    /// `+47 412 34 567`, as written in its country, for pages (the number is personal data: never for logs).
    public var description: String { country.format(national: national) }
}

/// The code shown on the till and in the customer's app, so they can tell this login is theirs.
public struct BindingMessage: Sendable, Equatable, CustomStringConvertible {
    public let text: String

    /// Checks `^[A-Z0-9-]{5,8}$` before anything is sent.
    public init(_ text: String) throws(VippsLoginError) {
        guard (5...8).contains(text.count), text.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) else {
            throw .invalidBindingMessage
        }
        self.text = text
    }

    /// A fresh code like `K7Q-4MZ`, without look-alike characters (0/O, 1/I).
    public static func random() -> BindingMessage {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        let part = { String((0..<3).map { _ in alphabet.randomElement()! }) }
        return try! BindingMessage(part() + "-" + part())
    }

    public var description: String { text }
}
