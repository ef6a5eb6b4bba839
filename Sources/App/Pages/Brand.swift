import Foundation
import VippsLogin

/// Vipps or MobilePay: what the cashier and the customer see, by the store's market and the day. Denmark,
/// Finland and Greenland see MobilePay until it becomes Vipps (12 January 2027 by default, a date in
/// `Templates/stores.json`), so the change needs no release.
enum Brand: String, Sendable {
    case vipps, mobilePay

    init(market: PhoneCountry, at time: Date, change: Date) {
        self = market == .norway || time >= change ? .vipps : .mobilePay
    }

    var name: String {
        switch self {
        case .vipps: "Vipps"
        case .mobilePay: "MobilePay"
        }
    }

    /// The wordmark under `Public/img/`.
    var logo: String { "/public/img/\(rawValue.lowercased()).svg" }

    /// A UI string as this brand says it: the strings are written for Vipps.
    func apply(_ text: String) -> String {
        self == .vipps ? text : text.replacingOccurrences(of: "Vipps", with: name)
    }

    /// Every string of a template's `t` context, branded.
    func apply(_ strings: [String: String]) -> [String: String] {
        self == .vipps ? strings : strings.mapValues(apply)
    }
}
