import Foundation
import Storage
import Testing

@Suite("Repositories: members, answers, pages")
struct RepositoryTests {
    @Test("a second login refreshes the profile and counts the visit, keyed by sub")
    func memberLogin() async throws {
        try await TemporaryDirectory.withPool { pool, _ in
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
        try await TemporaryDirectory.withPool { pool, _ in
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

    @Test("an answer for an unknown member is refused by the foreign key")
    func answerNeedsMember() async throws {
        try await TemporaryDirectory.withPool { pool, _ in
            let error = await #expect(throws: DatabaseError.self) {
                try await AnswerStore(pool: pool).record(sub: "nobody", question: "q", value: "v")
            }
            #expect(error?.isConstraintViolation == true)
        }
    }

    @Test("deleting a member removes their answers and consents")
    func deleteCascades() async throws {
        try await TemporaryDirectory.withPool { pool, _ in
            let members = MemberStore(pool: pool)
            try await members.recordLogin(MemberProfile(sub: "gone"), store: nil)
            try await AnswerStore(pool: pool).record(sub: "gone", question: "q", value: "v")
            try await pool.write { database in
                try database.execute("INSERT INTO consent_ledger (member_sub, source, payload, recorded_at) VALUES ('gone', 'login', '{}', 0)")
            }
            #expect(try await members.delete(sub: "gone"))
            #expect(try await members.find(sub: "gone") == nil)
            let left = try await pool.read { database in
                try database.scalar("SELECT (SELECT count(*) FROM answers) + (SELECT count(*) FROM consent_ledger)", as: Int.self)
            }
            #expect(left == 0)
            #expect(try await members.delete(sub: "gone") == false)
        }
    }

    @Test("the consent ledger refuses updates")
    func ledgerAppendOnly() async throws {
        try await TemporaryDirectory.withPool { pool, _ in
            try await MemberStore(pool: pool).recordLogin(MemberProfile(sub: "s"), store: nil)
            try await pool.write { database in
                try database.execute("INSERT INTO consent_ledger (member_sub, source, payload, recorded_at) VALUES ('s', 'login', '{\"sms\":true}', 0)")
            }
            let error = await #expect(throws: DatabaseError.self) {
                try await pool.write { try $0.execute("UPDATE consent_ledger SET payload = '{}'") }
            }
            #expect(error?.message.contains("append-only") == true)
        }
    }

    @Test("pages keep every revision; publishing picks the one visitors see")
    func pageRevisions() async throws {
        try await TemporaryDirectory.withPool { pool, _ in
            let pages = PageStore(pool: pool)
            var draft = PageDraft(slug: "coffee", lang: "nb", kind: "offer", title: "Kaffe", audience: "all", publishAt: nil,
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
