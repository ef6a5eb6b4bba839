import Foundation

/// The simulated merchant (sales unit): its name, its registered clients, the delegated consents it
/// asks for, and the lifetimes Vipps documents. Loaded from a JSON file, or the defaults below.
public struct SimulatorConfiguration: Codable, Sendable {
    /// One registered client (a sales unit's login credentials).
    public struct Client: Codable, Sendable, Equatable {
        public var id: String
        public var secret: String
        /// `client_secret_basic` or `client_secret_post`: Vipps accepts only the configured one.
        public var authMethod: String
        /// Exact redirect URIs, as registered in the portal.
        public var redirectURIs: [String]

        public init(id: String, secret: String, authMethod: String = "client_secret_basic", redirectURIs: [String]) {
            self.id = id
            self.secret = secret
            self.authMethod = authMethod
            self.redirectURIs = redirectURIs
        }
    }

    /// A delegated consent the merchant collects, with its documented texts.
    public struct Consent: Codable, Sendable, Equatable {
        public var id: String
        public var required: Bool
        public var textNB: String
        public var textEN: String
    }

    public var merchantName = "Velkommen-butikken"
    public var merchantSerialNumber = "123456"
    public var clients = [
        Client(
            id: "velkommen-demo", secret: "velkommen-demo-secret",
            redirectURIs: ["http://127.0.0.1:8080/callback", "http://localhost:8080/callback"])
    ]
    public var consents = [
        Consent(id: "email", required: false, textNB: "Få tilbud på E-post", textEN: "Receive offers via email"),
        Consent(id: "sms", required: false, textNB: "Få tilbud på SMS", textEN: "Receive offers via SMS"),
        Consent(id: "digital", required: false, textNB: "Jeg vil motta digital markedsføring", textEN: "I would like to receive digital marketing"),
        Consent(id: "personal", required: false, textNB: "Få tilpassede tilbud", textEN: "Get customized offers"),
    ]
    /// How remembered consents show in userinfo (both readings of Vipps' texts can be played).
    public var consentMemory = ConsentMemory.everyLogin
    /// The merchant's own flow, for logins that ask for `customFlow`.
    public var customFlow = CustomFlowConfiguration()
    /// The terms shown in every login that asks for `agreement`.
    public var agreement = AgreementConfiguration()
    public var termsLinkURL = "https://www.vipps.no/vilkar/vilkar-privat/"
    public var privacyStatementLinkURL = "https://www.vipps.no/personvern-og-vilkar/personvern/"
    /// Lifetime of a redirect or browser code: 300 s in Vipps' test environment (30 s in production).
    public var codeLifetime: TimeInterval = 300
    /// `expires_in` of a login from phone number.
    public var loginLifetime: Int = 600
    /// `expires_in` of an access token from a code (a login from phone number's poll gets 300 s).
    public var accessTokenLifetime: Int = 3599
    /// Seconds the simulator remembers a login, code, token or browser session after it expired (so a
    /// late poll still gets `expired_token`); then it is forgotten.
    public var forgetAfter: TimeInterval = 600
    /// `interval` between token polls.
    public var pollInterval: Int = 5
    /// Logins pending for one user at once before the simulator answers 429.
    public var maxPendingLoginsPerUser = 3
    public var users: [TestUser] = TestUser.seeded
    /// Numbers that user-exists answers `false` for, though they look like anyone's (every number that is
    /// not a user's answers `false` too; these are the documented examples to type at a till).
    public var numbersWithoutVipps = ["4790000000", "4590000000", "358409000000", "299900000"]
    /// Answer 404 at user-exists, as a Vipps without the endpoint would: the client must start anyway.
    public var userExistsMissing = false
    /// The QR API's `Ocp-Apim-Subscription-Key` (with a client's id and secret at `/accesstoken/get`).
    public var subscriptionKey = "velkommen-demo-subscription-key"
    /// Tokenized personal QR codes (MobilePay's) the exchange knows: the code's last path segment → number.
    public var personalQRTokens = [
        "MPDK7Q4MZ9CQ3X": "4512345678", "MPFI2K8R5T7WQ1": "358401234567", "MPGL4N6P8S2VZ5": "299123456",
        "VPNO9Z3X7C5B1M": "4712345678",
    ]

    public init() {}

    /// Reads a JSON file; keys it leaves out keep their defaults.
    public static func load(path: String) throws -> SimulatorConfiguration {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let overrides = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        var defaults = try JSONSerialization.jsonObject(with: JSONEncoder().encode(SimulatorConfiguration())) as? [String: Any] ?? [:]
        defaults.merge(overrides) { _, new in new }
        return try JSONDecoder().decode(SimulatorConfiguration.self, from: JSONSerialization.data(withJSONObject: defaults))
    }

    func client(_ id: String) -> Client? { clients.first { $0.id == id } }
}
