import Foundation
import Testing

@testable import VippsLogin

@Suite("user-exists answers in every plausible shape")
struct UserExistsAnswerTests {
    @Test(
        "documented and plausible shapes are read; anything else is no answer",
        arguments: [
            (#"{"exists": true}"#, true), (#"{"exists": false}"#, false), (#"{"userExists": true}"#, true), (#"{"user_exists": false}"#, false),
            ("true", true), ("false", false), (#"{"exists": 1}"#, nil), (#"{"exists": "yes"}"#, nil), (#"{}"#, nil), ("[]", nil), ("", nil),
            (#"{"exists": null, "userExists": true}"#, true),
        ] as [(String, Bool?)])
    func shapes(body: String, expected: Bool?) {
        #expect(VippsLoginClient.existsAnswer(Data(body.utf8)) == expected)
    }

    @Test("the exchange's number is read from the plausible fields, with or without +")
    func exchangeAnswer() {
        #expect(PersonalQRExchange.phone(in: Data(#"{"phoneNumber": "4512345678"}"#.utf8))?.msisdn == "4512345678")
        #expect(PersonalQRExchange.phone(in: Data(#"{"msisdn": "+358401234567"}"#.utf8))?.msisdn == "358401234567")
        #expect(PersonalQRExchange.phone(in: Data(#"{"phone_number": "299123456"}"#.utf8))?.msisdn == "299123456")
        #expect(PersonalQRExchange.phone(in: Data(#"{"phoneNumber": "12"}"#.utf8)) == nil)
        #expect(PersonalQRExchange.phone(in: Data(#"{"other": "4512345678"}"#.utf8)) == nil)
    }
}
