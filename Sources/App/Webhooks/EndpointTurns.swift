/// Which endpoints get a delivery task next (WebhookDeliveryService): not one already running, not
/// one resting after a round without answers, the ones served longest ago first, up to a limit. In
/// memory only: the deliveries' own retry times live in the database.
struct EndpointTurns {
    private var busy: Set<Int64> = []
    private var lastServed: [Int64: ContinuousClock.Instant] = [:]
    private var restingUntil: [Int64: ContinuousClock.Instant] = [:]
    private var failingRounds: [Int64: Int] = [:]

    mutating func choose<Endpoint>(_ endpoints: [Endpoint], id: (Endpoint) -> Int64, limit: Int) -> [Endpoint] {
        let now = ContinuousClock.now
        let candidates = endpoints.filter { endpoint in
            !busy.contains(id(endpoint)) && (restingUntil[id(endpoint)].map { $0 <= now } ?? true)
        }.sorted { first, second in
            switch (lastServed[id(first)], lastServed[id(second)]) {
            case (nil, .some): true
            case (.some(let a), .some(let b)): a < b
            default: false
            }
        }
        let chosen = Array(candidates.prefix(max(0, limit - busy.count)))
        for endpoint in chosen {
            busy.insert(id(endpoint))
            lastServed[id(endpoint)] = now
        }
        return chosen
    }

    /// A task ended; an endpoint that gave no answers rests 4 s, then 8, 16 … up to a minute.
    mutating func finished(_ endpoint: Int64, failing: Bool) {
        busy.remove(endpoint)
        guard failing else {
            failingRounds[endpoint] = nil
            restingUntil[endpoint] = nil
            return
        }
        let rounds = failingRounds[endpoint, default: 0] + 1
        failingRounds[endpoint] = rounds
        restingUntil[endpoint] = .now + .seconds(min(60, 2 << min(rounds, 5)))
    }

    var running: Int { busy.count }
}
