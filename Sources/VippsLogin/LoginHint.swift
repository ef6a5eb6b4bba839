/// A Norwegian mobile number as Vipps wants it: `urn:msisdn:47XXXXXXXX`. Accepts what staff type at a
/// till: `+47 412 34 567`, `0047 41234567`, `41234567`, `4741234567`.
public struct PhoneNumber: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Digits only, with country code: `4741234567`.
    public let msisdn: String

    public init(_ text: String) throws(VippsLoginError) {
        var digits = text.filter { !" -.()".contains($0) }
        if digits.hasPrefix("+") { digits.removeFirst() } else if digits.hasPrefix("00") { digits.removeFirst(2) }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw .invalidPhoneNumber }
        if digits.count == 8 { digits = "47" + digits }
        // Real mobile numbers start with 4 or 9, but Vipps' test users do not (4712345678 is their
        // documented example), so any eight digits after +47 are sent and Vipps decides.
        guard digits.count == 10, digits.hasPrefix("47") else { throw .invalidPhoneNumber }
        msisdn = digits
    }

    public var loginHint: String { "urn:msisdn:" + msisdn }

    /// `+47 412 34 567`, for pages (the number is personal data: never for logs).
    public var description: String {
        let local = Array(msisdn.dropFirst(2))
        return "+47 " + String(local[0..<3]) + " " + String(local[3..<5]) + " " + String(local[5..<8])
    }
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
