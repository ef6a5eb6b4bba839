import Storage

/// The funnel per store in percentages of the logins started there, with the store's tills folded under
/// it: the question a merchant asks is "where do we lose people", and a per-till row of absolute numbers
/// does not answer it.
struct StoreFunnel: Equatable {
    struct Step: Equatable {
        var started: Int
        var confirmed: Int
        var landed: Int
        var completed: Int
        /// Welcome offers redeemed: the funnel's last step, the sale.
        var redeemed: Int = 0
    }

    struct Till: Equatable {
        var terminal: String
        var step: Step
    }

    var store: String
    var total: Step
    var tills: [Till]

    static func stores(_ funnel: [SignupStats.FunnelRow]) -> [StoreFunnel] {
        var order: [String] = []
        var grouped: [String: [SignupStats.FunnelRow]] = [:]
        for row in funnel {
            if grouped[row.store] == nil { order.append(row.store) }
            grouped[row.store, default: []].append(row)
        }
        return order.map { store in
            let rows = grouped[store] ?? []
            let tills = rows.map {
                Till(
                    terminal: $0.terminal,
                    step: Step(started: $0.started, confirmed: $0.confirmed, landed: $0.landed, completed: $0.completed, redeemed: $0.redeemed))
            }
            let total = tills.reduce(Step(started: 0, confirmed: 0, landed: 0, completed: 0)) { sum, till in
                Step(
                    started: sum.started + till.step.started, confirmed: sum.confirmed + till.step.confirmed,
                    landed: sum.landed + till.step.landed, completed: sum.completed + till.step.completed,
                    redeemed: sum.redeemed + till.step.redeemed)
            }
            return StoreFunnel(store: store, total: total, tills: tills.filter { !$0.terminal.isEmpty })
        }
    }
}
