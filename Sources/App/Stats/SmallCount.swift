/// Counts from 1 to 4 are shown as "< 5" in every breakdown: a small group could point at a person.
enum SmallCount {
    static let threshold = 5

    static func text(_ count: Int) -> String {
        count > 0 && count < threshold ? "< 5" : String(count)
    }

    /// A percentage, hidden when either side is small.
    static func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "–" }
        guard part == 0 || part >= threshold, whole >= threshold else { return "< 5" }
        return String(Int((Double(part) / Double(whole) * 100).rounded())) + " %"
    }
}
