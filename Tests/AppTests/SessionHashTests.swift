import Testing

@testable import App

@Suite("Session hashes")
struct SessionHashTests {
    @Test("session hashes: lowercase hex SHA-256 (FIPS 180-2's vectors)")
    func sessionHash() {
        #expect(Tokens.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Tokens.sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
