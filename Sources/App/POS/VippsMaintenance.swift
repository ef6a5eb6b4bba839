import Foundation

/// Vipps' weekly maintenance window: Mondays 01:00–05:00 CET/CEST ("services may be unavailable without
/// further notice"). A Vipps failure then is most likely the maintenance, and the till says so rather than
/// "try again in a moment".
enum VippsMaintenance {
    static let hours = 1..<5

    static func contains(_ time: Date) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Oslo")!
        let parts = calendar.dateComponents([.weekday, .hour], from: time)
        // weekday 2 is Monday in the Gregorian calendar.
        return parts.weekday == 2 && parts.hour.map(hours.contains) == true
    }
}
