import Testing
import VippsLogin

@Suite("Phone numbers and binding messages, checked before sending")
struct PhoneNumberTests {
    @Test("what staff type at a till becomes urn:msisdn:47…", arguments: ["+47 412 34 567", "0047 41234567", "41234567", "4741234567", "412-34-567"])
    func accepted(input: String) throws {
        #expect(try PhoneNumber(input).loginHint == "urn:msisdn:4741234567")
    }

    @Test(
        "anything else is refused",
        arguments: [
            "", "1234", "+46 412 34 567", "+47 2212 345", "41234567a", "+47 412 34 5678", "+45 1234 567", "+299 1234 567", "+358 1234",
            "+358 1234567890123", "+1 212 555 0100", "+", "00", "012345678", "+47 01234567", "4612345678",
        ])
    func refused(input: String) {
        #expect(throws: VippsLoginError.invalidPhoneNumber) { try PhoneNumber(input) }
    }

    @Test(
        "every market's numbers, with a prefix at any till: login_hint is exact",
        arguments: [
            ("+45 12 34 56 78", "4512345678", PhoneCountry.denmark), ("004512345678", "4512345678", .denmark),
            ("+358 40 123 4567", "358401234567", .finland), ("+358 50 12345", "3585012345", .finland),
            ("+299 12 34 56", "299123456", .greenland), ("0047 412 34 567", "4741234567", .norway),
            // Without +, another market's calling code is read when the length says so.
            ("4512345678", "4512345678", .denmark), ("299123456", "299123456", .greenland),
        ])
    func markets(input: String, msisdn: String, country: PhoneCountry) throws {
        let phone = try PhoneNumber(input)
        #expect(phone.loginHint == "urn:msisdn:" + msisdn)
        #expect(phone.country == country)
    }

    @Test(
        "a number without a prefix is the store's country's",
        arguments: [
            ("12345678", PhoneCountry.denmark, "4512345678"), ("4512345678", .denmark, "4512345678"),
            ("040 123 4567", .finland, "358401234567"), ("401234567", .finland, "358401234567"),
            ("358401234567", .finland, "358401234567"), ("123456", .greenland, "299123456"), ("299123456", .greenland, "299123456"),
            ("4741234567", .denmark, "4741234567"), ("12345678", .norway, "4712345678"),
        ])
    func storeCountry(input: String, country: PhoneCountry, msisdn: String) throws {
        #expect(try PhoneNumber(input, defaultCountry: country).msisdn == msisdn)
    }

    @Test(
        "shown as people in each country write them",
        arguments: [
            ("4741234567", "+47 412 34 567"), ("4512345678", "+45 12 34 56 78"), ("358401234567", "+358 40 123 4567"),
            ("3585012345", "+358 50 123 45"), ("299123456", "+299 12 34 56"),
        ])
    func display(msisdn: String, shown: String) throws {
        #expect(try PhoneNumber(msisdn: msisdn).description == shown)
    }

    @Test(
        "binding messages follow ^[A-Z0-9-]{5,8}$",
        arguments: [
            ("4MZ-CQ3", true), ("XYZ-123", true), ("ABCDE", true), ("ABCD", false),
            ("ABCDEFGHI", false), ("abc-123", false), ("ÆØÅ-123", false), ("AB 123", false),
        ])
    func bindingMessages(text: String, valid: Bool) {
        #expect(((try? BindingMessage(text)) != nil) == valid)
    }

    @Test("a random binding message is valid")
    func randomBindingMessage() throws {
        for _ in 0..<50 { _ = try BindingMessage(BindingMessage.random().text) }
    }
}
