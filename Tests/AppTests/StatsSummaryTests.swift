import Testing

@testable import App
@testable import Storage

@Suite("Statistics summary: headline changes, the funnel per store, signups by week and month")
struct StatsSummaryTests {
    @Test(
        "a count's change against the previous period, hidden when either period is small",
        arguments: [
            (120, 100, "120", "+20 %", StatsHeadline.Direction.up), (80, 100, "80", "−20 %", .down), (100, 100, "100", "±0 %", .flat),
            (12, 0, "12", StatsHeadline.new, .up), (3, 100, "< 5", nil, .flat), (100, 3, "100", nil, .flat), (0, 0, "0", nil, .flat),
        ] as [(Int, Int, String, String?, StatsHeadline.Direction)])
    func countChange(now: Int, before: Int, value: String, change: String?, direction: StatsHeadline.Direction) {
        let figure = StatsHeadline.count("signups", now, before: before)
        #expect(figure.value == value && figure.change == change && figure.direction == direction)
    }

    @Test(
        "a share's change in percentage points, hidden when a group is small",
        arguments: [
            (50, 100, 40, 100, "50 %", "+10 pp"), (30, 100, 45, 100, "30 %", "−15 pp"), (3, 100, 40, 100, "< 5", nil),
            (50, 100, 4, 4, "50 %", nil),
        ] as [(Int, Int, Int, Int, String, String?)])
    func shareChange(part: Int, whole: Int, partBefore: Int, wholeBefore: Int, value: String, change: String?) {
        let figure = StatsHeadline.share("completed", part, of: whole, before: (partBefore, wholeBefore))
        #expect(figure.value == value && figure.change == change)
    }

    @Test("the funnel sums each store's tills, keeps them under it, in the order given")
    func storeFunnel() {
        let rows = [
            SignupStats.FunnelRow(store: "oslo-1", terminal: "t1", started: 10, confirmed: 8, landed: 7, completed: 5),
            SignupStats.FunnelRow(store: "oslo-1", terminal: "t2", started: 20, confirmed: 10, landed: 9, completed: 1),
            SignupStats.FunnelRow(store: "bergen-1", terminal: "", started: 6, confirmed: 6, landed: 6, completed: 6),
        ]
        let stores = StoreFunnel.stores(rows)
        #expect(stores.map(\.store) == ["oslo-1", "bergen-1"])
        #expect(stores[0].total == StoreFunnel.Step(started: 30, confirmed: 18, landed: 16, completed: 6))
        #expect(stores[0].tills.map(\.terminal) == ["t1", "t2"])
        #expect(stores[1].tills.isEmpty, "a store without named tills has nothing to fold")
    }

    @Test(
        "days group into ISO weeks (Monday first) and months",
        arguments: [
            (
                SignupGrouping.week, [("2026-11-29", 1), ("2026-11-30", 2), ("2026-12-06", 3), ("2026-12-07", 4)],
                [("2026-11-23", 1), ("2026-11-30", 5), ("2026-12-07", 4)]
            ),
            (.month, [("2026-11-29", 1), ("2026-11-30", 2), ("2026-12-01", 3)], [("2026-11", 3), ("2026-12", 3)]),
            (.day, [("2026-11-29", 1)], [("2026-11-29", 1)]),
        ] as [(SignupGrouping, [(String, Int)], [(String, Int)])])
    func grouping(grouping: SignupGrouping, days: [(String, Int)], expected: [(String, Int)]) {
        let grouped = grouping.group(days.map { (day: $0.0, count: $0.1) })
        #expect(grouped.map { "\($0.day)=\($0.count)" } == expected.map { "\($0.0)=\($0.1)" })
    }
}
