import Foundation
import Storage
import Testing

@Suite("Repositories: members, answers, pages")
struct RepositoryTests {
    @Test("a second login refreshes the profile and counts the visit, keyed by sub")
    func memberLogin() async throws {
        try await TemporaryDirectory.withEachPool { pool, _ in
            let members = MemberStore(pool: pool)
            let first = try await members.recordLogin(MemberProfile(sub: "s1", givenName: "Kari", email: "k@example.no"), store: "oslo-1")
            #expect(first.loginCount == 1)
            #expect(first.firstStore == "oslo-1")
            let second = try await members.recordLogin(MemberProfile(sub: "s1", givenName: "Kari Anne", email: nil), store: "bergen-2")
            #expect(second.loginCount == 2)
            #expect(second.profile.givenName == "Kari Anne")
            #expect(second.profile.email == nil)
            #expect(second.firstStore == "oslo-1", "the first store stays the first")
            #expect(second.createdAt == first.createdAt)
        }
    }

    @Test("a new answer supersedes the old one, which stays in the history")
    func answerHistory() async throws {
        try await TemporaryDirectory.withEachPool { pool, _ in
            try await MemberStore(pool: pool).recordLogin(MemberProfile(sub: "s1"), store: nil)
            let answers = AnswerStore(pool: pool)
            try await answers.record(sub: "s1", question: "coffee", value: "black", at: Date(timeIntervalSince1970: 1000))
            try await answers.record(sub: "s1", question: "coffee", value: "latte", at: Date(timeIntervalSince1970: 2000))
            try await answers.record(sub: "s1", question: "size", value: "M")
            #expect(try await answers.current(sub: "s1") == ["coffee": "latte", "size": "M"])
            let history = try await answers.history(sub: "s1")
            #expect(history.map(\.value) == ["black", "latte", "M"])
            #expect(history[0].supersededAt == Date(timeIntervalSince1970: 2000))
            #expect(history[1].supersededAt == nil)
        }
    }

    @Test("saving the same form again adds no history; a changed answer does")
    func unchangedFormAddsNothing() async throws {
        try await TemporaryDirectory.withEachPool { pool, _ in
            try await MemberStore(pool: pool).recordLogin(MemberProfile(sub: "s1"), store: nil)
            let answers = AnswerStore(pool: pool)
            let form = [(question: "coffee", value: "black"), (question: "size", value: "M")]
            try await answers.record(sub: "s1", answers: form, at: Date(timeIntervalSince1970: 1000))
            try await answers.record(sub: "s1", answers: form, at: Date(timeIntervalSince1970: 2000))
            try await answers.record(
                sub: "s1", answers: [(question: "coffee", value: "latte"), (question: "size", value: "M")],
                at: Date(timeIntervalSince1970: 3000))
            #expect(try await answers.history(sub: "s1").map(\.value) == ["black", "M", "latte"])
            #expect(try await answers.current(sub: "s1") == ["coffee": "latte", "size": "M"])
        }
    }

    // Two saves by one member in the same instant (two tabs, two event loops reading one clock tick) both
    // get acknowledged, so both must stay in the history; the one committed later is the current answer.
    // Found by the SIGTERM burst in `scripts/process-faults.py`: one acknowledged save was missing.
    @Test("two saves at the same instant both stay in the history; the later commit is current")
    func sameInstantKeepsBoth() async throws {
        try await TemporaryDirectory.withEachPool { pool, _ in
            try await MemberStore(pool: pool).recordLogin(MemberProfile(sub: "s1"), store: nil)
            let answers = AnswerStore(pool: pool)
            let instant = Date(timeIntervalSince1970: 1_800_000_000.25)
            try await answers.record(sub: "s1", answers: [(question: "wish", value: "first")], at: instant)
            try await answers.record(sub: "s1", answers: [(question: "wish", value: "second")], at: instant)
            // A clock behind the last answer (another instance, a step back) still writes after it.
            try await answers.record(sub: "s1", answers: [(question: "wish", value: "third")], at: instant.addingTimeInterval(-60))
            #expect(try await answers.history(sub: "s1").map(\.value) == ["first", "second", "third"])
            #expect(try await answers.current(sub: "s1") == ["wish": "third"])

            // Instants at the clock's microsecond ticks, as `Date()` gives them: a quarter of them round
            // down when read back from the database, which once made a twin look later than its first.
            let ticks = (0..<200).map { Date(timeIntervalSinceReferenceDate: 818_000_000.123_456 + Double($0) * 0.000_017) }
            try await pool.write { database in
                for (index, tick) in ticks.enumerated() {
                    for twin in ["a", "b"] {
                        try AnswerStore.record(sub: "s1", answers: [(question: "tick", value: "\(index)\(twin)")], at: tick, in: database)
                    }
                }
            }
            #expect(try await answers.history(sub: "s1").filter { $0.question == "tick" }.count == 400)
        }
    }

    @Test("an answer for an unknown member is refused by the foreign key")
    func answerNeedsMember() async throws {
        try await TemporaryDirectory.withEachPool { pool, _ in
            let error = await #expect(throws: DatabaseError.self) {
                try await AnswerStore(pool: pool).record(sub: "nobody", question: "q", value: "v")
            }
            #expect(error?.isConstraintViolation == true)
        }
    }

    @Test("deleting a member removes their answers and current consents, and keeps receipts without their identity")
    func deleteCascades() async throws {
        try await TemporaryDirectory.withEachPool { pool, _ in
            let members = MemberStore(pool: pool)
            try await members.recordLogin(MemberProfile(sub: "gone"), store: nil)
            try await AnswerStore(pool: pool).record(sub: "gone", question: "q", value: "v")
            try await pool.write { database in
                try ConsentLedger(pool: pool, hash: { String($0.hashValue) }).append(
                    sub: "gone", source: "login", payload: "{}", consents: ["sms": true],
                    loginRequestID: nil, at: Date(), in: database)
            }
            #expect(try await members.delete(sub: "gone"))
            #expect(try await members.find(sub: "gone") == nil)
            let left = try await pool.read { database in
                try database.scalar("SELECT (SELECT count(*) FROM answers) + (SELECT count(*) FROM member_consents)", as: Int.self)
            }
            #expect(left == 0)
            let receipts = try await pool.read { try $0.scalar("SELECT count(*) FROM consent_receipts WHERE member_sub IS NULL", as: Int.self) }
            #expect(receipts == 1)
            #expect(try await members.delete(sub: "gone") == false)
        }
    }

    @Test("consent receipts refuse updates and deletes, and their hash chain shows tampering")
    func ledgerAppendOnly() async throws {
        try await TemporaryDirectory.withEachPool { pool, _ in
            try await MemberStore(pool: pool).recordLogin(MemberProfile(sub: "s"), store: nil)
            let ledger = ConsentLedger(pool: pool, hash: { "h" + String($0.utf8.reduce(5381) { ($0 &* 33) &+ Int($1) }) })
            for payload in ["{\"sms\":true}", "{\"sms\":false}"] {
                try await pool.write {
                    try ledger.append(sub: "s", source: "login", payload: payload, consents: ["sms": true], loginRequestID: nil, at: Date(), in: $0)
                }
            }
            #expect(try await ledger.firstBrokenLink() == nil)
            for statement in ["UPDATE consent_receipts SET payload = '{}'", "DELETE FROM consent_receipts"] {
                let error = await #expect(throws: DatabaseError.self) { try await pool.write { try $0.execute(statement) } }
                #expect(error?.message.contains("append-only") == true)
            }
            // Tampering behind the triggers' back is caught by the chain.
            try await pool.write { database in
                try database.execute(
                    script: "DROP TRIGGER consent_receipts_append_only" + (database.dialect.engine == .postgres ? " ON consent_receipts" : ""))
                try database.execute("UPDATE consent_receipts SET payload = '{}' WHERE id = 1")
            }
            #expect(try await ledger.firstBrokenLink() == 1)
        }
    }

    @Test("pages keep every revision; publishing picks the one visitors see")
    func pageRevisions() async throws {
        try await TemporaryDirectory.withEachPool { pool, _ in
            let pages = PageStore(pool: pool)
            var draft = PageDraft(
                slug: "coffee", lang: "nb", kind: "offer", title: "Kaffe", audience: "all", publishAt: nil,
                expireAt: nil, source: "v1", author: "seed")
            let first = try await pages.save(draft, publish: true)
            draft.source = "v2"
            draft.title = "Kaffe!"
            let second = try await pages.save(draft, publish: false)
            #expect(try await pages.published().map(\.draft.source) == ["v1"], "a draft is not published")
            #expect(try await pages.history(slug: "coffee", lang: "nb").map(\.id) == [second.id, first.id])
            #expect(try await pages.publish(revisionID: second.id))
            let published = try await pages.published()
            #expect(published.map(\.draft.title) == ["Kaffe!"])
            #expect(published.first?.isPublished == true)
            #expect(try await pages.publish(revisionID: 9999) == false)
            #expect(try await pages.pageCount() == 1)
        }
    }
}
