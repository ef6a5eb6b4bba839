import Content
import Foundation
import Storage
import VippsLogin

/// The stores as `Templates/stores.json` describes them: display names ("Oslo sentrum"; a store id like
/// `oslo-1` is for systems, never for customers), where their logins end, their market (the country
/// whose numbers the till reads without a prefix, and whose brand the till shows), and how long a
/// customer has to confirm (`requested_expiry`). A store without a name is shown as the page's fallback.
struct StoreNames: Sendable {
    private let names: [String: [String: String]]
    /// Where logins started at each store end by default (`app` for enrolment at the till without a web page).
    private let endings: [String: LoginRequest.Ending]
    private let markets: [String: PhoneCountry]
    private let requestedExpiries: [String: Int]
    /// When MobilePay becomes Vipps in Denmark, Finland and Greenland (12 January 2027, Oslo time).
    let brandChange: Date

    /// Vipps accepts `requested_expiry` from 60 to 900 seconds (UNCONFIRMED bounds, docs/vipps-login.md).
    static let requestedExpiryRange = 60...900
    static let defaultBrandChange = "2027-01-12"

    init(
        _ names: [String: [String: String]] = [:], endings: [String: LoginRequest.Ending] = [:], markets: [String: PhoneCountry] = [:],
        requestedExpiries: [String: Int] = [:], brandChange: Date = StoreNames.day(StoreNames.defaultBrandChange)!
    ) {
        self.names = names
        self.endings = endings
        self.markets = markets
        self.requestedExpiries = requestedExpiries
        self.brandChange = brandChange
    }

    /// `{"stores": {"oslo-1": {"nb": "Oslo sentrum", "en": "Oslo city centre"}}, "endings": {"oslo-1": "app"},
    /// "markets": {"kobenhavn-1": "DK"}, "requestedExpiry": {"oslo-1": 300}, "mobilePayBecomesVipps": "2027-01-12"}`;
    /// a missing file is no names, and every store is Norwegian and ends on the web page.
    static func load(path: String) throws -> StoreNames {
        guard FileManager.default.fileExists(atPath: path) else { return StoreNames() }
        struct File: Decodable {
            var stores: [String: [String: String]]
            var endings: [String: LoginRequest.Ending]?
            var markets: [String: String]?
            var requestedExpiry: [String: Int]?
            var mobilePayBecomesVipps: String?
        }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ConfigurationError("\(path) is not a list of store names such as {\"stores\": {\"oslo-1\": {\"nb\": \"Oslo sentrum\"}}}: \(error)")
        }
        var markets: [String: PhoneCountry] = [:]
        for (store, code) in file.markets ?? [:] {
            guard let market = PhoneCountry(rawValue: code) else {
                throw ConfigurationError("\(path): the market of \(store) must be one of NO, DK, FI, GL, not \(code)")
            }
            markets[store] = market
        }
        for (store, seconds) in file.requestedExpiry ?? [:] where !requestedExpiryRange.contains(seconds) {
            throw ConfigurationError("\(path): requestedExpiry of \(store) must be from 60 to 900 seconds, not \(seconds)")
        }
        let change = file.mobilePayBecomesVipps ?? defaultBrandChange
        guard let brandChange = day(change) else {
            throw ConfigurationError("\(path): mobilePayBecomesVipps must be a date such as 2027-01-12, not \(change)")
        }
        return StoreNames(
            file.stores, endings: file.endings ?? [:], markets: markets, requestedExpiries: file.requestedExpiry ?? [:], brandChange: brandChange)
    }

    /// Midnight in Oslo on `yyyy-mm-dd`.
    static func day(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, text.count == 10 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Oslo")!
        let components = DateComponents(year: parts[0], month: parts[1], day: parts[2])
        guard components.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: components)
    }

    func ending(of store: String) -> LoginRequest.Ending { endings[store] ?? .webpage }

    /// The store's market: a number typed without a calling code is one of its country's.
    func market(of store: String) -> PhoneCountry { markets[store] ?? .norway }

    /// Seconds the customer has to confirm (`requested_expiry`), nil for Vipps' own default.
    func requestedExpiry(of store: String) -> Int? { requestedExpiries[store] }

    /// The brand the cashier and the customer see at this store now.
    func brand(of store: String, at time: Date = Date()) -> Brand { Brand(market: market(of: store), at: time, change: brandChange) }

    /// The stores that have names, for pickers.
    var ids: [String] { names.keys.sorted() }

    func name(of store: String, in language: Language) -> String? {
        guard let names = names[store] else { return nil }
        return names[language.rawValue] ?? names["nb"] ?? names.values.first
    }
}
