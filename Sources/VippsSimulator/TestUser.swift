import Foundation

/// A simulated Vipps user, reached through their phone number.
public struct TestUser: Codable, Sendable, Equatable {
    /// What the user's Vipps account does when a login is started.
    public enum Behaviour: String, Codable, Sendable {
        case normal
        /// Under 15 or without an active account: `invalid_user`.
        case underAge = "under_age"
        /// The app is too old for login from phone number: `old_app`.
        case oldApp = "old_app"
    }

    public struct Address: Codable, Sendable, Equatable {
        public var streetAddress: String
        public var postalCode: String
        public var region: String
        public var country: String
        public var addressType: String

        var claim: [String: Any] {
            [
                "street_address": streetAddress, "postal_code": postalCode, "region": region, "country": country,
                "formatted": [streetAddress, postalCode + " " + region, country].filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.joined(
                    separator: "\n"),
                "address_type": addressType,
            ]
        }

        /// What Vipps sends for a user without an address.
        static var emptyClaim: [String: Any] {
            ["street_address": "", "postal_code": "", "region": "", "country": "", "formatted": "", "address_type": ""]
        }
    }

    public var msisdn: String
    public var sub: String
    public var givenName: String
    public var familyName: String
    public var email: String
    public var emailVerified: Bool
    public var birthdate: String
    public var nin: String
    public var address: Address?
    public var otherAddresses: [Address] = []
    public var behaviour: Behaviour = .normal
    /// Numbers this user had before: a login to one of them finds no account.
    public var previousMsisdns: [String] = []

    public var name: String { givenName + " " + familyName }

    /// Six kinds of users the app must handle, as the issue asks, plus a second full profile.
    public static let seeded: [TestUser] = [
        TestUser(
            msisdn: "4712345678", sub: "c06c4afe-d9e1-4c5d-939a-177d752a0944", givenName: "Ada", familyName: "Lovelace",
            email: "ada@example.com", emailVerified: true, birthdate: "1815-12-10", nin: "10121550047",
            address: Address(streetAddress: "Suburbia 23", postalCode: "2101", region: "OSLO", country: "NO", addressType: "home"),
            otherAddresses: [Address(streetAddress: "Fancy Office Street 2", postalCode: "0218", region: "OSLO", country: "NO", addressType: "work")]),
        TestUser(
            msisdn: "4791234567", sub: "5168ee06-8c21-4b44-9a3c-0b1a4a5ab001", givenName: "Ola", familyName: "Nordmann",
            email: "ola@example.com", emailVerified: true, birthdate: "1980-05-17", nin: "17058012345", address: nil),
        TestUser(
            msisdn: "4741111111", sub: "7a2b9c1d-3e4f-4a5b-8c6d-7e8f9a0b1c2d", givenName: "Kari", familyName: "Nordmann",
            email: "kari.unverified@example.com", emailVerified: false, birthdate: "1992-02-29", nin: "29029212345",
            address: Address(streetAddress: "Storgata 1\nH0201", postalCode: "0155", region: "OSLO", country: "NO", addressType: "home")),
        TestUser(
            msisdn: "4742222222", sub: "0b9c8d7e-6f5a-4b3c-2d1e-0f9a8b7c6d5e", givenName: "Emil", familyName: "Ung",
            email: "emil@example.com", emailVerified: true, birthdate: "2014-06-01", nin: "01061412345", address: nil, behaviour: .underAge),
        TestUser(
            msisdn: "4743333333", sub: "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", givenName: "Gunnar", familyName: "Gammel",
            email: "gunnar@example.com", emailVerified: true, birthdate: "1950-01-01", nin: "01015012345", address: nil, behaviour: .oldApp),
        TestUser(
            msisdn: "4744444444", sub: "9f8e7d6c-5b4a-4938-8271-605f4e3d2c1b", givenName: "Nina", familyName: "Nyttnummer",
            email: "nina@example.com", emailVerified: true, birthdate: "1988-08-08", nin: "08088812345",
            address: Address(streetAddress: "Bryggen 5", postalCode: "5003", region: "BERGEN", country: "NO", addressType: "home"),
            previousMsisdns: ["4745555555"]),
        TestUser(
            msisdn: "4798765432", sub: "2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b", givenName: "Per", familyName: "Hansen",
            email: "per@example.com", emailVerified: true, birthdate: "1975-11-30", nin: "30117512345",
            address: Address(streetAddress: "Nedre Slottsgate 8", postalCode: "0157", region: "OSLO", country: "NO", addressType: "home")),
        // MobilePay's markets: Denmark and Greenland (+45 and +299, 8 and 6 digits) and Finland (+358, variable length).
        TestUser(
            msisdn: "4512345678", sub: "3a4b5c6d-7e8f-4a9b-8c0d-1e2f3a4b5c6d", givenName: "Freja", familyName: "Jensen",
            email: "freja@example.dk", emailVerified: true, birthdate: "1990-04-16", nin: "1604901234",
            address: Address(streetAddress: "Strøget 12", postalCode: "1160", region: "KØBENHAVN K", country: "DK", addressType: "home")),
        TestUser(
            msisdn: "358401234567", sub: "4b5c6d7e-8f9a-4b0c-9d1e-2f3a4b5c6d7e", givenName: "Aino", familyName: "Virtanen",
            email: "aino@example.fi", emailVerified: true, birthdate: "1985-12-06", nin: "061285-123A",
            address: Address(streetAddress: "Mannerheimintie 5", postalCode: "00100", region: "HELSINKI", country: "FI", addressType: "home")),
        TestUser(
            msisdn: "299123456", sub: "5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f", givenName: "Nuka", familyName: "Kleist",
            email: "nuka@example.gl", emailVerified: true, birthdate: "1979-06-21", nin: "2106791234",
            address: Address(streetAddress: "Aqqusinersuaq 3", postalCode: "3900", region: "NUUK", country: "GL", addressType: "home")),
    ]
}
