import Testing

@testable import HTTPServer

@Suite("Chunked body decoder")
struct ChunkedBodyDecoderTests {
    static let wire = Array("4\r\nWiki\r\n5;name=value\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-Trailer: yes\r\n\r\nNEXT".utf8)
    static let text = "Wikipedia in\r\n\r\nchunks."

    @Test("a whole body decodes, with extensions and trailers dropped, and stops at its end")
    func wholeBody() throws {
        var decoder = ChunkedBodyDecoder(maxBodyBytes: 1000)
        var body: [UInt8] = []
        let consumed = try Self.wire.withUnsafeBufferPointer { (bytes) throws(HTTPParseError) in try decoder.decode(bytes, into: &body) }
        #expect(decoder.isComplete)
        #expect(String(decoding: body, as: UTF8.self) == Self.text)
        #expect(Array(Self.wire[consumed...]) == Array("NEXT".utf8))
    }

    @Test("the same body fed one byte at a time decodes the same")
    func byteByByte() throws {
        var decoder = ChunkedBodyDecoder(maxBodyBytes: 1000)
        var body: [UInt8] = []
        for byte in Self.wire.dropLast(4) {
            let used = try [byte].withUnsafeBufferPointer { (bytes) throws(HTTPParseError) in try decoder.decode(bytes, into: &body) }
            #expect(used == 1)
        }
        #expect(decoder.isComplete)
        #expect(String(decoding: body, as: UTF8.self) == Self.text)
    }

    @Test(
        "malformed chunk framing is refused",
        arguments: [
            "Z\r\nabc\r\n0\r\n\r\n",  // not hex
            "3\r\nabcX\r\n0\r\n\r\n",  // data longer than its size
            "3\nabc\r\n0\r\n\r\n",  // bare LF after the size
            "\r\n",  // no size at all
            "1000000000000000\r\n",  // size with too many digits
            "3\r\nabc\r\n0\r\nBad\u{1}Trailer\r\n\r\n",  // control character in a trailer
        ])
    func refusesMalformed(_ input: String) {
        // No body limit, so that only the framing rule under test can refuse.
        var decoder = ChunkedBodyDecoder(maxBodyBytes: .max)
        var body: [UInt8] = []
        #expect(throws: HTTPParseError.invalidChunk) {
            try Array(input.utf8).withUnsafeBufferPointer { (bytes) throws(HTTPParseError) in _ = try decoder.decode(bytes, into: &body) }
        }
    }

    @Test("a chunk that would pass the body limit is refused before its data arrives")
    func bodyLimit() {
        var decoder = ChunkedBodyDecoder(maxBodyBytes: 10)
        var body: [UInt8] = []
        #expect(throws: HTTPParseError.bodyTooLarge) {
            try Array("8\r\n12345678\r\n8\r\n".utf8).withUnsafeBufferPointer { (bytes) throws(HTTPParseError) in
                _ = try decoder.decode(bytes, into: &body)
            }
        }
    }

    @Test("endless chunk extensions are refused")
    func extensionLimit() {
        var decoder = ChunkedBodyDecoder(maxBodyBytes: 100, maxMetadataBytes: 64)
        var body: [UInt8] = []
        let input = Array(("1;" + String(repeating: "a", count: 100) + "\r\n").utf8)
        #expect(throws: HTTPParseError.invalidChunk) {
            try input.withUnsafeBufferPointer { (bytes) throws(HTTPParseError) in _ = try decoder.decode(bytes, into: &body) }
        }
    }
}
