import Foundation
import Storage
import VippsLogin

/// What the till shows for a login, as one big state like a card terminal: each with its own colour
/// and heading. A login that ends on our web page never asks Vipps whether the customer cancelled (the
/// token endpoint may be called only once, and the redirect's code needs that call), so near its expiry
/// the till says the customer may also have cancelled. A login that ends in the app is polled, so there
/// the till knows at once when the customer cancels.
enum TillState: String, Sendable {
    case waiting, registered, cancelled, expired, failed

    init(_ login: LoginRequest, at time: Date) {
        switch login.status(at: time) {
        case .pending: self = .waiting
        case .confirmed, .landed, .completed: self = .registered
        case .expired: self = .expired
        case .failed:
            switch login.failure {
            case LoginRequestStore.cancelledAtTill, "access_denied": self = .cancelled
            case "expired_token": self = .expired
            default: self = .failed
            }
        }
    }

    /// Seconds before expiry from which "waiting" also says the customer may have cancelled.
    static let maybeCancelledWithin: TimeInterval = 60

    /// The heading's string key; `registered` has the member's name in it.
    var headingKey: String { "till_\(rawValue)_heading" }

    func textKey(_ login: LoginRequest, at time: Date) -> String {
        switch self {
        case .waiting where login.ending == .app && login.failure == AppEndingPoller.vippsUnreachable: "till_waiting_vipps_down"
        case .waiting where login.ending == .app: "till_waiting_app_text"
        case .waiting: login.expiresAt.timeIntervalSince(time) <= Self.maybeCancelledWithin ? "till_waiting_maybe_cancelled" : "till_waiting_text"
        case .registered where login.ending == .app: "till_registered_app"
        case .registered: login.status == .completed ? "till_registered_completed" : "till_registered_text"
        case .cancelled: login.failure == LoginRequestStore.cancelledAtTill ? "till_cancelled_at_till" : "till_cancelled_text"
        case .expired where login.ending == .app: "till_expired_app_text"
        case .expired: "till_expired_text"
        case .failed: "till_failed_text"
        }
    }

    /// "Ada L.": the given name and the family name's initial, enough for the cashier to greet.
    static func shortName(given: String?, family: String?, full: String?) -> String? {
        let first = given ?? full?.split(separator: " ").first.map(String.init)
        guard let first, !first.isEmpty else { return nil }
        guard let initial = (family ?? full?.split(separator: " ").dropFirst().last.map(String.init))?.first else { return first }
        return "\(first) \(initial)."
    }

    /// "+47 ••• •• 678", "+45 •• •• •6 78": the last three digits in the country's own grouping, enough
    /// for the cashier to see it is the number typed, not enough to read it off the screen.
    static func maskedPhone(_ msisdn: String) -> String {
        guard let phone = try? PhoneNumber(msisdn: msisdn) else { return "+47 ••• •• " + String(msisdn.suffix(3)) }
        let prefix = "+" + phone.country.callingCode
        let text = phone.description
        guard text.hasPrefix(prefix) else { return prefix + " ••• " + String(msisdn.suffix(3)) }
        var hidden = text.dropFirst(prefix.count).filter(\.isNumber).count - 3
        let national = text.dropFirst(prefix.count).map { character -> Character in
            guard character.isNumber, hidden > 0 else { return character }
            hidden -= 1
            return "•"
        }
        return prefix + String(national)
    }
}
