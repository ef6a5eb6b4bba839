import Foundation

/// Userinfo for every scope in the reference. Absent claims are nil; a user without an address has an
/// `address` whose fields are empty strings.
public struct UserInfo: Decodable, Sendable, Equatable {
    public struct Address: Codable, Sendable, Equatable {
        public var streetAddress: String?
        public var postalCode: String?
        public var region: String?
        public var country: String?
        public var formatted: String?
        public var addressType: String?
        public var isDefault: Bool?

        enum CodingKeys: String, CodingKey {
            case streetAddress = "street_address"
            case postalCode = "postal_code"
            case region, country, formatted
            case addressType = "address_type"
            case isDefault = "default"
        }

        /// Vipps sends an address of empty strings when the user has none.
        public var isEmpty: Bool {
            [streetAddress, postalCode, region, country, formatted].allSatisfy { ($0 ?? "").isEmpty }
        }
    }

    public struct Account: Codable, Sendable, Equatable {
        public var accountName: String?
        public var accountNumber: String?
        public var bankName: String?

        enum CodingKeys: String, CodingKey {
            case accountName = "account_name"
            case accountNumber = "account_number"
            case bankName = "bank_name"
        }
    }

    public var sub: String
    public var sid: String?
    public var name: String?
    public var givenName: String?
    public var familyName: String?
    public var email: String?
    public var emailVerified: Bool?
    public var phoneNumber: String?
    public var phoneNumberVerified: Bool?
    public var birthdate: String?
    public var nin: String?
    public var gender: String?
    public var address: Address?
    public var otherAddresses: [Address]?
    public var accounts: [Account]?
    public var delegatedConsents: DelegatedConsents?
    /// The `delegatedConsents` object exactly as received, for the append-only ledger.
    public var delegatedConsentsJSON: String?
    /// Scope `customFlow`: the merchant's own consent screens (`flowResult`; `customFlow` is read too).
    public var flowResult: FlowResult?
    public var flowResultJSON: String?
    /// Scope `agreement`: the terms and privacy statement accepted in this login.
    public var agreement: Agreement?
    public var agreementJSON: String?

    enum CodingKeys: String, CodingKey {
        case sub, sid, name, email, birthdate, nin, gender, address, accounts, delegatedConsents, flowResult, customFlow, agreement
        case givenName = "given_name"
        case familyName = "family_name"
        case emailVerified = "email_verified"
        case phoneNumber = "phone_number"
        case phoneNumberVerified = "phone_number_verified"
        case otherAddresses = "other_addresses"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sub = try container.decode(String.self, forKey: .sub)
        sid = try container.decodeIfPresent(String.self, forKey: .sid)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        givenName = try container.decodeIfPresent(String.self, forKey: .givenName)
        familyName = try container.decodeIfPresent(String.self, forKey: .familyName)
        email = try container.decodeIfPresent(String.self, forKey: .email)
        emailVerified = try container.decodeIfPresent(Bool.self, forKey: .emailVerified)
        phoneNumber = try container.decodeIfPresent(String.self, forKey: .phoneNumber)
        phoneNumberVerified = try container.decodeIfPresent(Bool.self, forKey: .phoneNumberVerified)
        birthdate = try container.decodeIfPresent(String.self, forKey: .birthdate)
        nin = try container.decodeIfPresent(String.self, forKey: .nin)
        gender = try container.decodeIfPresent(String.self, forKey: .gender)
        address = try container.decodeIfPresent(Address.self, forKey: .address)
        otherAddresses = try container.decodeIfPresent([Address].self, forKey: .otherAddresses)
        accounts = try container.decodeIfPresent([Account].self, forKey: .accounts)
        delegatedConsents = try container.decodeIfPresent(DelegatedConsents.self, forKey: .delegatedConsents)
        // Undocumented shapes: an object of another shape is kept verbatim in the receipt but not read.
        flowResult =
            (try? container.decodeIfPresent(FlowResult.self, forKey: .flowResult))
            ?? (try? container.decodeIfPresent(FlowResult.self, forKey: .customFlow))
        agreement = try? container.decodeIfPresent(Agreement.self, forKey: .agreement)
    }

    /// Decodes `data`, keeping the consent and agreement objects verbatim beside the typed values.
    public static func decode(_ data: Data) throws -> UserInfo {
        var info = try JSONDecoder().decode(UserInfo.self, from: data)
        guard info.delegatedConsents != nil || info.flowResult != nil || info.agreement != nil,
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return info }
        func verbatim(_ key: String) -> String? {
            guard let value = object[key], value is [String: Any],
                let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
            else { return nil }
            return String(decoding: data, as: UTF8.self)
        }
        if info.delegatedConsents != nil { info.delegatedConsentsJSON = verbatim("delegatedConsents") }
        if info.flowResult != nil { info.flowResultJSON = verbatim("flowResult") ?? verbatim("customFlow") }
        if info.agreement != nil { info.agreementJSON = verbatim("agreement") }
        return info
    }
}

/// The consents the customer gave the merchant in the Vipps app (scope `delegatedConsents`).
public struct DelegatedConsents: Codable, Sendable, Equatable {
    public struct Consent: Codable, Sendable, Equatable {
        public var id: String
        public var accepted: Bool
        public var required: Bool?
        public var textDisplayedToUser: String?
    }

    public struct Links: Codable, Sendable, Equatable {
        public var termsLinkText: String?
        public var termsLinkUrl: String?
        public var privacyStatementLinkText: String?
        public var privacyStatementLinkUrl: String?
    }

    public var language: String?
    public var heading: String?
    public var text: String?
    /// Vipps' documented sample spells this key with a leading space (`" termsDescription"`); both are read.
    public var termsDescription: String?
    public var confirmConsentButtonText: String?
    public var links: Links?
    public var timeOfConsent: String?
    public var consents: [Consent]

    enum CodingKeys: String, CodingKey {
        case language, heading, text, termsDescription, confirmConsentButtonText, links, timeOfConsent, consents
        case spacedTermsDescription = " termsDescription"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        language = try container.decodeIfPresent(String.self, forKey: .language)
        heading = try container.decodeIfPresent(String.self, forKey: .heading)
        text = try container.decodeIfPresent(String.self, forKey: .text)
        termsDescription =
            try container.decodeIfPresent(String.self, forKey: .termsDescription)
            ?? container.decodeIfPresent(String.self, forKey: .spacedTermsDescription)
        confirmConsentButtonText = try container.decodeIfPresent(String.self, forKey: .confirmConsentButtonText)
        links = try container.decodeIfPresent(Links.self, forKey: .links)
        timeOfConsent = try container.decodeIfPresent(String.self, forKey: .timeOfConsent)
        consents = try container.decodeIfPresent([Consent].self, forKey: .consents) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(language, forKey: .language)
        try container.encodeIfPresent(heading, forKey: .heading)
        try container.encodeIfPresent(text, forKey: .text)
        try container.encodeIfPresent(termsDescription, forKey: .termsDescription)
        try container.encodeIfPresent(confirmConsentButtonText, forKey: .confirmConsentButtonText)
        try container.encodeIfPresent(links, forKey: .links)
        try container.encodeIfPresent(timeOfConsent, forKey: .timeOfConsent)
        try container.encode(consents, forKey: .consents)
    }

    /// The ids of the consents the customer accepted.
    public var accepted: Set<String> { Set(consents.filter(\.accepted).map(\.id)) }
}
