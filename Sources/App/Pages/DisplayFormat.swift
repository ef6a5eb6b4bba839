import Content
import Foundation
import VippsLogin

/// Values as people read them: "2. desember 2026", "+47 412 34 567", never ISO timestamps or raw numbers.
enum DisplayFormat {
    static let oslo = TimeZone(identifier: "Europe/Oslo") ?? .gmt

    static func locale(_ language: Language) -> Locale { Locale(identifier: language == .nb ? "nb_NO" : "en_GB") }

    /// "2. desember 2026" / "2 December 2026", in Oslo time.
    static func day(_ date: Date, in language: Language) -> String {
        var style = Date.FormatStyle(date: .long, time: .omitted)
        style.timeZone = oslo
        style.locale = locale(language)
        return date.formatted(style)
    }

    /// "3. des. kl. 08.00" / "3 Dec at 08:00", in Oslo time: when a scheduled page goes live.
    static func moment(_ date: Date, in language: Language) -> String {
        var day = Date.FormatStyle().day().month(.abbreviated)
        day.timeZone = oslo
        day.locale = locale(language)
        // Norwegian writes the time with a full stop (Språkrådet: "kl. 08.00"), which ICU's nb data does not.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = oslo
        let time = calendar.dateComponents([.hour, .minute], from: date)
        let clock = String(format: language == .nb ? "%02d.%02d" : "%02d:%02d", time.hour ?? 0, time.minute ?? 0)
        return date.formatted(day) + (language == .nb ? " kl. " : " at ") + clock
    }

    /// A calendar date as stored (`1990-12-02`), read as a day.
    static func day(iso text: String, in language: Language) -> String {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = oslo
        guard parts.count == 3, let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])) else { return text }
        return day(date, in: language)
    }

    /// "+47 412 34 567", "+45 12 34 56 78", "+358 40 123 4567", "+299 12 34 56": a number of a Vipps MobilePay
    /// market as written there (`4741234567`, with or without `+`); anything else as it came.
    static func phone(_ msisdn: String) -> String {
        let digits = msisdn.hasPrefix("+") ? String(msisdn.dropFirst()) : msisdn
        return (try? PhoneNumber(msisdn: digits))?.description ?? msisdn
    }
}
