import Foundation

/// Signups per day, per ISO week or per month: a year of days is 365 bars too thin to read.
enum SignupGrouping: String, CaseIterable {
    case day, week, month

    /// Sums `days` (`YYYY-MM-DD`, every day of the range) into periods, labelled by their first day
    /// (`2026-11-30` for the week of Monday 30 November, `2026-11` for November).
    func group(_ days: [(day: String, count: Int)]) -> [(day: String, count: Int)] {
        guard self != .day else { return days }
        var result: [(day: String, count: Int)] = []
        for entry in days {
            let label = self.label(of: entry.day)
            if result.last?.day == label {
                result[result.count - 1].count += entry.count
            } else {
                result.append((label, entry.count))
            }
        }
        return result
    }

    func label(of day: String) -> String {
        switch self {
        case .day: return day
        case .month: return String(day.prefix(7))
        case .week:
            let parts = day.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3, let date = Self.calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
                let start = Self.calendar.dateInterval(of: .weekOfYear, for: date)?.start
            else { return day }
            let components = Self.calendar.dateComponents([.year, .month, .day], from: start)
            return String(format: "%04d-%02d-%02d", components.year!, components.month!, components.day!)
        }
    }

    /// ISO weeks (Monday first) in UTC, like the rollups' days.
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        return calendar
    }()
}
