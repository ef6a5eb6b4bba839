import Content
import Foundation

/// Signups per day as an SVG bar chart drawn on the server: readable without JavaScript, with a text
/// title per bar for screen readers and hover. Small counts are drawn but labelled "< 5".
enum SignupChart {
    static func svg(_ days: [(day: String, count: Int)], label: String) -> String {
        let width = 640.0
        let height = 200.0
        let bottom = 24.0
        let left = 36.0
        let maximum = max(1, days.map(\.count).max() ?? 1)
        let barWidth = days.isEmpty ? 0 : (width - left) / Double(days.count)
        var parts = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(label))\" class=\"chart\">"
        ]
        parts.append("<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width)\" y2=\"\(height - bottom)\" stroke=\"#4a4a55\"/>")
        parts.append("<text x=\"0\" y=\"12\" font-size=\"11\">\(SmallCount.text(maximum))</text>")
        for (index, day) in days.enumerated() {
            let barHeight = (height - bottom - 16) * Double(day.count) / Double(maximum)
            let x = left + Double(index) * barWidth
            parts.append(
                "<rect x=\"\(format(x + 1))\" y=\"\(format(height - bottom - barHeight))\" width=\"\(format(max(1, barWidth - 2)))\" height=\"\(format(barHeight))\" fill=\"#c23a00\"><title>\(escape(day.day)): \(SmallCount.text(day.count))</title></rect>"
            )
        }
        if let first = days.first, let last = days.last {
            parts.append("<text x=\"\(left)\" y=\"\(height - 6)\" font-size=\"11\">\(escape(first.day))</text>")
            parts.append("<text x=\"\(width)\" y=\"\(height - 6)\" font-size=\"11\" text-anchor=\"end\">\(escape(last.day))</text>")
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }

    static func escape(_ text: String) -> String { HTMLEscaping.escape(text) }
}
