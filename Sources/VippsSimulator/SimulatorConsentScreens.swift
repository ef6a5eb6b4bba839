import Foundation

/// The merchant's own consent flow (`customFlow`), as built in the portal's flow builder: screens with
/// a title, a description, terms links and checkboxes whose ids the merchant chose.
public struct CustomFlowConfiguration: Codable, Sendable, Equatable {
    public struct Link: Codable, Sendable, Equatable {
        public var title: String
        public var url: String
    }

    public struct Checkbox: Codable, Sendable, Equatable {
        public var id: String
        public var title: String
        public var required: Bool
    }

    public struct Screen: Codable, Sendable, Equatable {
        public var title: String
        public var description: String
        public var links: [Link]
        public var checkboxes: [Checkbox]
    }

    public var language = "NO"
    public var screens = [
        Screen(
            title: "Bli medlem i kundeklubben",
            description: "Velkommen-butikken vil gi deg medlemstilbud. Du kan trekke samtykkene tilbake når du vil på Min side.",
            links: [
                Link(title: "Medlemsvilkår", url: "https://www.vipps.no/vilkar/vilkar-privat/"),
                Link(title: "Personvernerklæring", url: "https://www.vipps.no/personvern-og-vilkar/personvern/"),
            ],
            checkboxes: [
                Checkbox(id: "cf_accept_terms", title: "Jeg godtar medlemsvilkårene", required: true),
                Checkbox(id: "cf_offers_email", title: "Ja takk, send meg tilbud på e-post", required: false),
                Checkbox(id: "cf_offers_sms", title: "Ja takk, send meg tilbud på SMS", required: false),
                Checkbox(id: "cf_personal_offers", title: "Tilpass tilbudene etter det jeg handler", required: false),
            ])
    ]

    public init() {}

    var checkboxes: [Checkbox] { screens.flatMap(\.checkboxes) }
}

/// The merchant's terms and privacy statement shown for acceptance in every login (`agreement`).
public struct AgreementConfiguration: Codable, Sendable, Equatable {
    public var language = "NO"
    public var description = "Velkommen-butikken ber deg godta medlemsvilkårene og personvernerklæringen."
    public var buttonText = "Godta og fortsett"
    public var termsLinkText = "Medlemsvilkår"
    public var termsLinkURL = "https://www.vipps.no/vilkar/vilkar-privat/"
    public var privacyStatementLinkText = "Personvernerklæring"
    public var privacyStatementLinkURL = "https://www.vipps.no/personvern-og-vilkar/personvern/"

    public init() {}
}
