import Storage

/// The strip at the top of the statistics page: new members, the share who gave each consent and the
/// share who completed the preferences, the welcome offers redeemed, each with its change against the previous period of the same
/// length (Plausible's and Ghost's dashboards: the headline first, the detail after).
struct StatsHeadline: Equatable {
    struct Figure: Equatable {
        /// What the figure counts: `signups`, `completed`, `redeemed`, or `consent:<id>`.
        var key: String
        /// As shown: a count, or a share in per cent; "< 5" or "–" when too small to show.
        var value: String
        /// The change as shown ("+12 %", "−3 pp"), `StatsHeadline.new` when there was nothing before,
        /// nil when there is nothing to compare with.
        var change: String?
        /// Up, down or flat, for the arrow and its colour.
        var direction: Direction
    }

    enum Direction: String, Equatable { case up, down, flat }

    var figures: [Figure]

    /// The change of a figure that was 0 before, which the page words in the reader's language.
    static let new = "new"

    init(current: SignupStats, previous: SignupStats) {
        var figures = [Self.count("signups", current.firstVisits, before: previous.firstVisits)]
        for consent in current.consents {
            let before = previous.consents.first { $0.id == consent.id }
            figures.append(Self.share("consent:" + consent.id, consent.accepted, of: consent.asked, before: before.map { ($0.accepted, $0.asked) }))
        }
        let landed = current.funnel.reduce(0) { $0 + $1.landed }
        let completed = current.funnel.reduce(0) { $0 + $1.completed }
        let landedBefore = previous.funnel.reduce(0) { $0 + $1.landed }
        let completedBefore = previous.funnel.reduce(0) { $0 + $1.completed }
        figures.append(Self.share("completed", completed, of: landed, before: (completedBefore, landedBefore)))
        let redeemed = current.funnel.reduce(0) { $0 + $1.redeemed }
        figures.append(Self.count("redeemed", redeemed, before: previous.funnel.reduce(0) { $0 + $1.redeemed }))
        self.figures = figures
    }

    /// A count and its relative change; small counts hide both.
    static func count(_ key: String, _ now: Int, before: Int) -> Figure {
        let value = SmallCount.text(now)
        guard now >= SmallCount.threshold || now == 0, before >= SmallCount.threshold || before == 0 else {
            return Figure(key: key, value: value, change: nil, direction: .flat)
        }
        if before == 0 { return Figure(key: key, value: value, change: now == 0 ? nil : Self.new, direction: now == 0 ? .flat : .up) }
        let percent = Int((Double(now - before) / Double(before) * 100).rounded())
        return Figure(key: key, value: value, change: signed(percent) + " %", direction: direction(percent))
    }

    /// A share in per cent and its change in percentage points; small groups hide both.
    static func share(_ key: String, _ part: Int, of whole: Int, before: (part: Int, whole: Int)?) -> Figure {
        let value = SmallCount.percent(part, of: whole)
        guard let now = rate(part, whole), let before, let then = rate(before.part, before.whole) else {
            return Figure(key: key, value: value, change: nil, direction: .flat)
        }
        let points = Int((now - then).rounded())
        return Figure(key: key, value: value, change: signed(points) + " pp", direction: direction(points))
    }

    /// The share in per cent, or nil when either side is too small to show.
    static func rate(_ part: Int, _ whole: Int) -> Double? {
        guard whole >= SmallCount.threshold, part == 0 || part >= SmallCount.threshold else { return nil }
        return Double(part) / Double(whole) * 100
    }

    static func signed(_ number: Int) -> String { number > 0 ? "+\(number)" : number < 0 ? "−\(-number)" : "±0" }
    static func direction(_ number: Int) -> Direction { number > 0 ? .up : number < 0 ? .down : .flat }
}
