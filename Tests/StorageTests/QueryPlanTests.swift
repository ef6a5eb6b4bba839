import Foundation
import Storage
import Testing

/// On a test's small database a full-table scan is as fast as a search, so only SQLite's own counter
/// of scanned rows shows a statement whose cost grows with every login the merchant has had.
@Suite("Query plans: what a member does searches by index")
struct QueryPlanTests {
    @Test("a member's login, landing, page views, preference save and consents scan no table")
    func memberPathSearchesByIndex() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("plans.sqlite")
        // Other members' login requests, answers and consents, through a pool of its own: its statements
        // (the seeding's rollups) are not the ones under test.
        try await DemoData(pool: SQLitePool(path: path)).seed(members: 300)

        let pool = try SQLitePool(path: path, readerCount: 1)
        let requests = LoginRequestStore(pool: pool)
        let now = Date()
        try await requests.create(
            LoginRequest(
                id: "lr-1", phoneHint: "+47 412 34 567", bindingMessage: "AB12", store: "oslo-1",
                terminal: "till-3", askConsents: true, createdAt: now, expiresAt: now.addingTimeInterval(300)))
        try await requests.started(id: "lr-1", authReqID: "auth-1", expiresAt: now.addingTimeInterval(300))
        #expect(try await requests.claim(codeHash: "code-1", authReqID: "auth-1"))
        let ledger = ConsentLedger(pool: pool, hash: { "h" + String($0.utf8.reduce(5381) { ($0 &* 33) &+ Int($1) }) })
        try await pool.write { database in
            _ = try MemberStore.recordLogin(MemberProfile(sub: "sub-1", givenName: "Ada"), store: "oslo-1", at: now, in: database)
            try LoginRequestStore.confirm(authReqID: "auth-1", sub: "sub-1", phoneMismatch: false, at: now, in: database)
            try ledger.append(
                sub: "sub-1", source: "login", payload: #"{"sms":true}"#, consents: ["sms": true], loginRequestID: "lr-1",
                at: now, in: database)
            try SessionStore.create(
                Session(
                    idHash: "session-1", memberSub: "sub-1", csrfToken: "csrf", expiresAt: now.addingTimeInterval(3600), landingRequestID: "lr-1"),
                at: now, in: database)
        }
        _ = try await requests.find(codeHash: "code-1")
        _ = try await requests.find(authReqID: "auth-1")
        let sessions = SessionStore(pool: pool)
        let session = try #require(try await sessions.find(idHash: "session-1"))
        #expect(try await sessions.recordLanding(session))
        #expect(try await sessions.signedIn(idHash: "session-1") != nil)
        let answers = AnswerStore(pool: pool)
        try await answers.record(sub: "sub-1", answers: [(question: "wish", value: "Nøtter")])
        try await requests.completed(sessionHash: "session-1")
        #expect(try await requests.find(id: "lr-1")?.status == .completed)
        _ = try await answers.current(sub: "sub-1")
        _ = try await answers.history(sub: "sub-1")
        _ = try await ledger.current(sub: "sub-1")
        _ = try await ledger.receipts(sub: "sub-1")

        #expect(try await pool.writerConnection { ($0 as! SQLiteConnection).statementsThatScanned } == [])
        #expect(try await pool.read { ($0 as! SQLiteConnection).statementsThatScanned } == [])
    }
}
