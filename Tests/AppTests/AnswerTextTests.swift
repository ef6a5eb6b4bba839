import Testing

@testable import App

@Suite("Free-text answers: trimmed, counted and checked the same on the ASCII path as by Unicode's rules")
struct AnswerTextTests {
    @Test("trimming: nothing to trim, ASCII spaces and line breaks, Unicode spaces, only spaces")
    func trimming() {
        #expect("Peanøtter".trimmedWhitespace == "Peanøtter")
        #expect("nuts".trimmedWhitespace == "nuts")
        #expect(" \t nuts\r\n".trimmedWhitespace == "nuts")
        #expect("\u{00A0}nøtter\u{2003}".trimmedWhitespace == "nøtter", "no-break and em spaces")
        #expect("   ".trimmedWhitespace == "")
        #expect("".trimmedWhitespace == "")
    }

    @Test("length in characters: ASCII bytes, a combining accent and a flag count as one each")
    func length() {
        for text in ["nuts", "e\u{301}ple", "🇳🇴 og 🇸🇪", "Ærlig talt", String(repeating: "x", count: 500)] {
            #expect(text.characterCount == text.count, "\(text)")
        }
    }

    @Test("control characters: C0 and DEL in ASCII, C1 beside other scalars; tabs and line breaks count")
    func controls() {
        for text in ["a\u{7}b", "tab\there", "line\r\nbreak", "del\u{7F}", "æ\u{85}ø", "ø\u{9F}"] {
            #expect(text.hasControlCharacter, "\(text.debugDescription)")
            #expect(text.hasControlCharacter == text.unicodeScalars.contains { $0.properties.generalCategory == .control })
        }
        for text in ["plain text", "Peanøtter, skalldyr", "e\u{301}", "🙂", ""] {
            #expect(!text.hasControlCharacter, "\(text.debugDescription)")
        }
    }
}
