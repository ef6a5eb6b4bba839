import Foundation

/// Dates in front matter: `2026-12-01`, `2026-12-01 08:00` or ISO 8601 with seconds and an offset
/// (`2026-12-01T08:00:00+01:00`, `…Z`). Without an offset the time is the shop's, Europe/Oslo: that is
/// what a marketer in Norway means by "from 1 December".
enum PublishDate {
    static let shopTimeZone = TimeZone(identifier: "Europe/Oslo") ?? TimeZone(secondsFromGMT: 3600)!

    static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + digits] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            index += digits
            return value
        }
        func expect(_ character: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == character else { return false }
            index += 1
            return true
        }
        var components = DateComponents()
        guard let year = number(4), expect(UInt8(ascii: "-")), let month = number(2), expect(UInt8(ascii: "-")),
            let day = number(2)
        else { return nil }
        components.year = year
        components.month = month
        components.day = day
        components.hour = 0
        components.minute = 0
        components.second = 0
        var timeZone = shopTimeZone
        if index < bytes.count {
            guard expect(UInt8(ascii: "T")) || expect(UInt8(ascii: " ")),
                let hour = number(2), expect(UInt8(ascii: ":")), let minute = number(2)
            else { return nil }
            components.hour = hour
            components.minute = minute
            if expect(UInt8(ascii: ":")) {
                guard let second = number(2) else { return nil }
                components.second = second
            }
            if expect(UInt8(ascii: "Z")) {
                timeZone = TimeZone(secondsFromGMT: 0)!
            } else if index < bytes.count {
                let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
                guard expect(UInt8(ascii: "+")) || expect(UInt8(ascii: "-")),
                    let offsetHours = number(2), expect(UInt8(ascii: ":")), let offsetMinutes = number(2),
                    offsetHours <= 14, offsetMinutes < 60,
                    let zone = TimeZone(secondsFromGMT: sign * (offsetHours * 3600 + offsetMinutes * 60))
                else { return nil }
                timeZone = zone
            }
        }
        guard index == bytes.count, (1...12).contains(month), (1...31).contains(day),
            (0...23).contains(components.hour!), (0...59).contains(components.minute!), (0...59).contains(components.second!)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        components.timeZone = timeZone
        // Reject dates that do not exist (31 April) instead of letting the calendar roll them over.
        guard let date = calendar.date(from: components),
            calendar.component(.day, from: date) == day, calendar.component(.month, from: date) == month
        else { return nil }
        return date
    }
}
