import Testing

@testable import App

@Suite("The access log's numbers")
struct AccessLineTests {
    @Test("a request's time in milliseconds to the hundredth, rounded")
    func milliseconds() {
        #expect(AccessLogger.milliseconds(420) == "0.42")
        #expect(AccessLogger.milliseconds(4) == "0.00")
        #expect(AccessLogger.milliseconds(5) == "0.01")
        #expect(AccessLogger.milliseconds(1_000) == "1.00")
        #expect(AccessLogger.milliseconds(12_345) == "12.35")
        #expect(AccessLogger.milliseconds(3_000_001) == "3000.00")
    }

    @Test("a welcome offer's code never reaches the log; other paths are logged as they are")
    func offerCodes() {
        #expect(AccessLogger.shownPath("/api/v1/offers/K7QM4XRD/redeem") == "/api/v1/offers/{code}/redeem")
        #expect(AccessLogger.shownPath("/api/v1/offers/K7QM-4XRD") == "/api/v1/offers/{code}")
        #expect(AccessLogger.shownPath("/api/v1/logins/abc") == "/api/v1/logins/abc")
    }

}
