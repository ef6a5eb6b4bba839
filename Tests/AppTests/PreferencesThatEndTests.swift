import Foundation
import Storage
import TestSupport
import Testing

@testable import App

@Suite("Preferences that end: skip remembered, progress, purpose, a done screen, nothing sensitive by default", .serialized)
struct PreferencesThatEndTests {
    static func question(_ type: PreferenceQuestions.Question.Kind, required: Bool = false, options: [String] = []) -> PreferenceQuestions.Question {
        PreferenceQuestions.Question(
            id: "q", type: type, required: required, label: ["nb": "Q"],
            options: options.map { .init(value: $0, label: ["nb": $0]) }, maxLength: 10)
    }

    @Test(
        "each type accepts what it should and names what is wrong",
        arguments: [
            (PreferenceQuestions.Question.Kind.text, false, [] as [String], ["kort"], nil as String?),
            (.text, false, [], ["x\u{7}y"], "error_text"),
            (.text, false, [], [String(repeating: "x", count: 11)], "error_text"),
            (.text, true, [], [], "error_required"),
            (.text, false, [], [], nil),
            (.single, false, ["a", "b"], ["a"], nil),
            (.single, false, ["a", "b"], ["c"], "error_choice"),
            (.single, false, ["a", "b"], ["a", "b"], "error_choice"),
            (.multiple, false, ["a", "b"], ["a", "b"], nil),
            (.multiple, false, ["a", "b"], ["a", "z"], "error_choice"),
            (.yesno, true, [], ["yes"], nil),
            (.yesno, false, [], ["maybe"], "error_choice"),
            (.date, false, [], ["1990-02-28"], nil),
            (.date, false, [], ["1990-02-30"], "error_date"),
            (.date, false, [], ["2999-01-01"], "error_date"),
            (.postcode, false, [], ["0150"], nil),
            (.postcode, false, [], ["015"], "error_postcode"),
            (.postcode, false, [], ["０１５０"], "error_postcode"),
        ])
    func validation(type: PreferenceQuestions.Question.Kind, required: Bool, options: [String], submitted: [String], error: String?) {
        let question = Self.question(type, required: required, options: options)
        let result = PreferenceQuestions(questions: [question]).validate([question], values: ["q": submitted])
        #expect(result.errors["q"] == error)
        #expect(result.answers.isEmpty == (error != nil || submitted.isEmpty))
    }

    @Test(
        "whitespace around an answer is not stored, and whitespace alone is no answer",
        arguments: [
            (" kort\t", "kort"), ("\r\n to ord \n", "to ord"), ("\u{00A0}nbsp\u{2003}", "nbsp"), ("æ ø å", "æ ø å"), (" \n\t ", nil),
        ] as [(String, String?)])
    func trimming(submitted: String, stored: String?) {
        let question = Self.question(.text, required: false, options: [])
        let result = PreferenceQuestions(questions: [question]).validate([question], values: ["q": [submitted]])
        #expect(result.errors.isEmpty)
        #expect(result.answers.first?.1 == stored)
    }

    @Test("the seed asks nothing sensitive and nothing is required")
    func seed() throws {
        let seed = try PreferenceQuestions.load(path: TestApp.repository.appendingPathComponent("Templates/preferences.json").path)
        #expect(seed.question("allergies") == nil)
        #expect(seed.questions.allSatisfy { !$0.required })
        #expect(seed.questions.allSatisfy { $0.purpose(in: .nb) != nil && $0.purpose(in: .en) != nil }, "every question says why it is asked")
    }

    @Test("a skipped question is remembered; the form shows progress and purpose; saving ends on a done screen, and it stays done")
    func skipAndDone() async throws {
        try await OnboardingHarness.with { harness in
            let browser = Browser(port: harness.app.port)
            let (_, authReqID) = try await harness.startLogin()
            _ = try await browser.get("/callback?code=\(try await harness.confirmOnPhone(authReqID: authReqID))")
            let form = try await browser.get("/preferences").text
            let csrf = try #require(Browser.hidden("csrf", in: form))
            #expect(form.contains("Spørsmål 1 av 3") && form.contains("Spørsmål 3 av 3"))
            #expect(form.contains("Så tilbudene gjelder butikken du faktisk går i."))
            #expect(form.contains("name=\"skip\" value=\"favourite_store\""))

            let asked = [("asked", "favourite_store"), ("asked", "interests"), ("asked", "wish")]
            let afterSkip = try await browser.post(
                "/preferences", form: [("csrf", csrf)] + asked + [("skip", "favourite_store"), ("wish", "mer te")])
            #expect(afterSkip.status == 200)
            #expect(!afterSkip.text.contains("Hvilken butikk") && afterSkip.text.contains("value=\"mer te\""), "the rest, as typed")

            let saved = try await browser.post("/preferences", form: [("csrf", csrf), ("asked", "interests"), ("asked", "wish"), ("wish", "mer te")])
            #expect(saved.status == 303)
            let done = try await browser.get(try #require(saved.header("Location"))).text
            #expect(done.contains("Takk!") && done.contains("href=\"/card\"") && done.contains("href=\"/offers\""))
            #expect(!done.contains("Hvilken butikk"), "skipped questions do not come back underneath")

            let later = try await browser.get("/preferences").text
            #expect(!later.contains("Hvilken butikk") && !later.contains("Hva vil du høre mer om?"), "skipped and left-empty are remembered")
            #expect(later.contains("Har du barn under 12 år?"), "the next visit asks what is left")
            let change = try await browser.get("/preferences?change=1").text
            #expect(
                change.contains("Hvilken butikk") && change.contains("value=\"mer te\"") && !change.contains("name=\"skip\""),
                "all stay open to change")
        }
    }
}
