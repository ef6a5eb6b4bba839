/// A cookie to set, with every attribute of RFC 6265bis. Its rendering never lets a value break out
/// of the header: characters outside cookie-octet are percent-encoded.
public struct SetCookie: Sendable, Equatable {
    public enum SameSite: String, Sendable {
        case strict = "Strict"
        case lax = "Lax"
        case none = "None"
    }

    public var name: String
    public var value: String
    public var path: String? = "/"
    public var domain: String?
    /// Seconds until it expires; 0 deletes it.
    public var maxAge: Int?
    /// Expiry as seconds since 1970, for old clients that ignore Max-Age.
    public var expires: Int?
    public var secure = false
    public var httpOnly = true
    public var sameSite: SameSite? = .lax

    public init(
        name: String, value: String, path: String? = "/", domain: String? = nil, maxAge: Int? = nil,
        expires: Int? = nil, secure: Bool = false, httpOnly: Bool = true, sameSite: SameSite? = .lax
    ) {
        self.name = name
        self.value = value
        self.path = path
        self.domain = domain
        self.maxAge = maxAge
        self.expires = expires
        self.secure = secure
        self.httpOnly = httpOnly
        self.sameSite = sameSite
    }

    /// A cookie that tells the browser to forget `name`.
    public static func expired(_ name: String, path: String = "/", secure: Bool = false) -> SetCookie {
        SetCookie(name: name, value: "", path: path, maxAge: 0, expires: 0, secure: secure)
    }

    /// The `Set-Cookie` header value.
    public var headerValue: String {
        var parts = ["\(Self.sanitizedName(name))=\(Self.encodedValue(value))"]
        if let path { parts.append("Path=\(Self.attributeValue(path))") }
        if let domain { parts.append("Domain=\(Self.attributeValue(domain))") }
        if let maxAge { parts.append("Max-Age=\(maxAge)") }
        if let expires { parts.append("Expires=\(HTTPDate.format(secondsSince1970: expires))") }
        if secure { parts.append("Secure") }
        if httpOnly { parts.append("HttpOnly") }
        if let sameSite { parts.append("SameSite=\(sameSite.rawValue)") }
        return parts.joined(separator: "; ")
    }

    private static func sanitizedName(_ name: String) -> String {
        String(decoding: name.utf8.filter(ByteClass.isTokenCharacter), as: UTF8.self)
    }

    /// cookie-octet: visible ASCII but `"`, `,`, `;` and `\`.
    private static func encodedValue(_ value: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in value.utf8 {
            let safe =
                byte > 0x20 && byte < 0x7F && byte != .quote && byte != .comma && byte != .semicolon
                && byte != UInt8(ascii: "\\") && byte != .percent
            if safe { out.append(byte) } else { out += [.percent, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]] }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func attributeValue(_ value: String) -> String {
        String(decoding: value.utf8.filter { $0 > 0x20 && $0 < 0x7F && $0 != .semicolon }, as: UTF8.self)
    }
}

extension HTTPRequest {
    /// The cookies the client sent, by name; the first of two with one name wins, values percent-decoded.
    public var cookies: [String: String] {
        var cookies: [String: String] = [:]
        forEachCookie { name, value in
            let name = String(decoding: name, as: UTF8.self)
            if cookies[name] == nil { cookies[name] = PercentDecoding.decodeString(buffer: value, plusAsSpace: false) }
            return true
        }
        return cookies
    }

    /// One cookie's value (the first of that name), without building the whole table: the session and
    /// language cookies are read on every page view.
    public func cookie(_ wanted: String) -> String? {
        var found: String?
        forEachCookie { name, value in
            guard name.elementsEqual(wanted.utf8) else { return true }
            found = PercentDecoding.decodeString(buffer: value, plusAsSpace: false)
            return false
        }
        return found
    }

    /// Calls `body` with each well-formed cookie's name and raw value, as bytes of the header, in order,
    /// until it returns false. Scans the header's bytes in place: no array of pairs, no string per name
    /// (read on every request, the string-splitting version was 4 % of a preference save's time).
    private func forEachCookie(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Bool) {
        for field in headers.fields where field.name.equalsIgnoringASCIICase("Cookie") {
            var header = field.value
            let stopped = header.withUTF8 { bytes -> Bool in
                var start = 0
                while start < bytes.count {
                    var end = start
                    while end < bytes.count, bytes[end] != .semicolon { end += 1 }
                    defer { start = end + 1 }
                    guard let equals = bytes[start..<end].firstIndex(of: .equals) else { continue }
                    let name = bytes[start..<equals].trimmingOptionalWhitespace
                    var value = bytes[(equals + 1)..<end].trimmingOptionalWhitespace
                    if value.count >= 2, value.first == .quote, value.last == .quote { value = value.dropFirst().dropLast() }
                    guard !name.isEmpty, name.allSatisfy(ByteClass.isTokenCharacter) else { continue }
                    if !body(UnsafeBufferPointer(rebasing: name), UnsafeBufferPointer(rebasing: value)) { return true }
                }
                return false
            }
            if stopped { return }
        }
    }
}

extension HTTPResponse {
    /// Adds a `Set-Cookie` header.
    public mutating func setCookie(_ cookie: SetCookie) {
        headers.add("Set-Cookie", cookie.headerValue)
    }
}
