import Foundation
import Storage
import Synchronization
import Testing

@Suite("Member changes: every write to a member is reported once committed")
struct MemberChangeFeedTests {
    /// Records what the feed reports, and whether the change was already visible to a reader then.
    final class Heard: Sendable {
        let subs = Mutex<[String]>([])
        func take() -> [String] {
            subs.withLock { taken in
                defer { taken = [] }
                return taken
            }
        }
    }

    @Test("a landing, a language, a consent of the member's own, a revocation report and an erasure each report the member")
    func everyMemberWriteIsReported() async throws {
        try await TemporaryDirectory.withEachPool { pool, _ in
            let heard = Heard()
            pool.memberChanges.listen { sub in heard.subs.withLock { $0.append(sub) } }
            let ledger = ConsentLedger(pool: pool, hash: { String($0.hashValue) })
            let profile = MemberProfile(sub: "m1", name: "Kari")
            try await Landings(ledger: ledger).record(
                LandingRecord(
                    profile: profile, request: nil, source: "login",
                    consentsPayload: #"{"email":true}"#, consents: ["email": true], time: Date()))
            #expect(heard.take() == ["m1"])
            try await MemberStore(pool: pool).setLanguage("en", sub: "m1")
            #expect(heard.take() == ["m1"])
            try await ledger.recordOwnChoice(sub: "m1", consentID: "email", accepted: false, payload: "{}")
            #expect(heard.take() == ["m1"])
            #expect(try await ledger.reportRevoked(sub: "m1", consentIDs: nil) == .recorded(["email"]))
            #expect(heard.take() == ["m1"])
            #expect(try await ledger.reportRevoked(sub: "m1", consentIDs: nil) == .alreadyReported)
            #expect(heard.take() == [], "a report that changes nothing reports nothing")
            #expect(try await MemberStore(pool: pool).delete(sub: "m1"))
            #expect(heard.take() == ["m1"])
        }
    }

    @Test("a write that fails reports nothing")
    func failedWriteIsSilent() async throws {
        try await TemporaryDirectory.withEachPool { pool, engine in
            let heard = Heard()
            pool.memberChanges.listen { sub in heard.subs.withLock { $0.append(sub) } }
            let readOnly = engine == .sqlite ? "PRAGMA query_only = ON" : "SET default_transaction_read_only = on"
            try await pool.writerConnection { try $0.execute(script: readOnly) }
            await #expect(throws: DatabaseUnavailable.self) { try await MemberStore(pool: pool).setLanguage("en", sub: "m1") }
            #expect(heard.take() == [])
        }
    }
}
