// libFuzzer target: scanned personal QR codes and typed phone numbers, as a till receives them. Whatever
// comes in, a code read as a number must give an exact login_hint, and a tokenized one is kept verbatim.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPersonalQR(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    switch try? PersonalQR(scanned: text) {
    case .phone(let phone):
        precondition(phone.loginHint == "urn:msisdn:" + phone.msisdn && phone.msisdn.allSatisfy { $0.isASCII && $0.isNumber })
    case .token(let token):
        precondition(token.utf8.count <= 512 && text.contains(token))
    case nil: break
    }
    for country in PhoneCountry.allCases {
        if let phone = try? PhoneNumber(text, defaultCountry: country) {
            precondition(phone.msisdn.hasPrefix(phone.country.callingCode))
            precondition(phone.country.nationalLengths.contains(phone.national.count))
            precondition((try? PhoneNumber(msisdn: phone.msisdn)) == phone, "a number reads back as itself")
            _ = phone.description
        }
    }
    return 0
}
