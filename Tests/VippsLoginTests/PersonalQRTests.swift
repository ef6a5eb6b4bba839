import Testing
import VippsLogin

@Suite("Personal QR codes, as a USB scanner types them at the till")
struct PersonalQRTests {
    @Test(
        "a clear-text Vipps code is read locally into the number",
        arguments: [
            ("https://qr.vipps.no/28/2/01/031/4712345678?v=1", "4712345678"),
            ("https://qr.vipps.no/28/2/01/031/4712345678?v=1\n", "4712345678"),
            ("  https://QR.VIPPS.NO/28/2/01/031/4798765432\r\n", "4798765432"),
            ("https://qr.vipps.no/28/2/01/031/4512345678?v=1", "4512345678"),
            ("https://qr.vipps.no/28/2/01/031/358401234567", "358401234567"),
        ])
    func clearText(scanned: String, msisdn: String) throws {
        #expect(try PersonalQR(scanned: scanned) == .phone(try PhoneNumber(msisdn: msisdn)))
    }

    @Test(
        "a tokenized code is kept whole, for the QR API's exchange",
        arguments: [
            "https://qr.mobilepay.dk/p/MPDK7Q4MZ9CQ3X", "https://qr.vipps.no/28/2/01/032/VPNO9Z3X7C5B1M?v=2",
            "https://qr.mobilepay.fi/MPFI2K8R5T7WQ1",
        ])
    func tokenized(scanned: String) throws {
        #expect(try PersonalQR(scanned: scanned) == .token(scanned))
    }

    @Test(
        "malformed codes are refused before anything is sent",
        arguments: [
            "", "   ", "4712345678", "qr.vipps.no/28/2/01/031/4712345678", "https://qr.vipps.no/", "https://qr.vipps.no/4712345678",
            "https://qr.vipps.no/28/2/01/031/12345678", "https://qr.vipps.no/28/2/01/031/4612345678", "https://qr.vipps.no/28/2/01/031/47123456789",
            "https://qr.vipps.no/28//031/4712345678", "https://qr.vipps.no/28/x/01/031/4712345678", "https://qr.vipps.no/28/2/01/031/abc",
            "https://qr.vipps.no/28/2/01/031/tok%20en12345", "https://qr.vipps.no/28/2/01/031/4712345678\u{0}", "ftp://qr.vipps.no/28/2/4712345678",
            "https://qr.vipps.no/28/2/01/031/47 12345678", "https://qr.vipps.no/" + String(repeating: "a", count: 600),
            "javascript:alert(1)", "https://qr.vipps.no/28/2/01/031/4712345678\u{202E}",
        ])
    func malformed(scanned: String) {
        #expect(throws: PersonalQR.Failure.malformed) { try PersonalQR(scanned: scanned) }
    }

    @Test(
        "other codes are foreign",
        arguments: [
            "https://example.com/28/2/01/031/4712345678", "https://vipps.no/", "http://qr.vipps.no/28/2/01/031/4712345678",
            "https://qr.vipps.no.evil.example/28/2/01/031/4712345678", "https://qr.vipps.no:444/28/2/01/031/4712345678",
        ])
    func foreign(scanned: String) {
        #expect(throws: PersonalQR.Failure.foreign) { try PersonalQR(scanned: scanned) }
    }

    @Test("a till field tells a scan from a typed number")
    func looksScanned() {
        #expect(PersonalQR.looksScanned("https://qr.vipps.no/28/2/01/031/4712345678?v=1"))
        #expect(!PersonalQR.looksScanned("+47 412 34 567"))
    }
}
