import Content
import Testing

@Suite("Language choice")
struct LanguageTests {
    @Test("the member's choice wins over the browser")
    func choiceFirst() {
        #expect(Language.negotiate(choice: .en, acceptLanguage: "nb-NO,nb;q=0.9") == .en)
        #expect(Language.negotiate(choice: .nb, acceptLanguage: "en-GB") == .nb)
    }

    @Test(
        "Accept-Language is read by quality, with no, nb and nn as Norwegian",
        arguments: [
            ("en-US,en;q=0.9", Language.en),
            ("nb-NO,nb;q=0.9,en;q=0.8", .nb),
            ("no", .nb),
            ("nn-NO", .nb),
            ("de-DE,de;q=0.9,en;q=0.5,nb;q=0.4", .en),
            ("de, en;q=0.2, nb;q=0.7", .nb),
            ("EN", .en),
            ("en;q=0, nb;q=0.1", .nb),
        ])
    func acceptLanguage(header: String, expected: Language) {
        #expect(Language.negotiate(choice: nil, acceptLanguage: header) == expected)
    }

    @Test(
        "with nothing to go on, English refused, or only Danish or Swedish, it is Norwegian",
        arguments: [nil, "", "*", "en;q=0", ";;,,q=", "da-DK", "sv-SE,sv;q=0.9", "fi;q=0.9,sv;q=0.5", "de, en;q=0"])
    func fallback(header: String?) {
        #expect(Language.negotiate(choice: nil, acceptLanguage: header) == .nb)
    }

    @Test("a browser that asks only for languages we do not speak gets English", arguments: ["de-DE,fr;q=0.8", "fi-FI,fi;q=0.9", "kl-GL"])
    func others(header: String) {
        #expect(Language.negotiate(choice: nil, acceptLanguage: header) == .en)
    }

    @Test("every UI string exists in both languages")
    func stringsComplete() throws {
        let localization = try Localization(directory: TemplatesFolder.path + "/i18n")
        #expect(localization.keys.count > 10)
        for key in localization.keys {
            #expect(localization.text(key, in: .nb) != localization.text(key, in: .en) || key.hasPrefix("same_"), "\(key) is not translated")
        }
    }

    @Test("a string missing in one language is refused at load")
    func stringsMismatch() {
        #expect(throws: Localization.LoadError.keysDiffer(onlyIn: .en, keys: ["extra"])) {
            try Localization(strings: [.nb: ["a": "A"], .en: ["a": "A", "extra": "E"]])
        }
        #expect(throws: Localization.LoadError.keysDiffer(onlyIn: .nb, keys: ["b"])) {
            try Localization(strings: [.nb: ["a": "A", "b": "B"], .en: ["a": "A"]])
        }
    }
}
