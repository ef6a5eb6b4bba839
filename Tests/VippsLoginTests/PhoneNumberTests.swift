import Testing
import VippsLogin

@Suite("Phone numbers and binding messages, checked before sending")
struct PhoneNumberTests {
    @Test("what staff type at a till becomes urn:msisdn:47…", arguments: ["+47 412 34 567", "0047 41234567", "41234567", "4741234567", "412-34-567"])
    func accepted(input: String) throws {
        #expect(try PhoneNumber(input).loginHint == "urn:msisdn:4741234567")
    }

    @Test("anything else is refused", arguments: ["", "1234", "+46 412 34 567", "+47 2212 345", "41234567a", "+47 412 34 5678"])
    func refused(input: String) {
        #expect(throws: VippsLoginError.invalidPhoneNumber) { try PhoneNumber(input) }
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
