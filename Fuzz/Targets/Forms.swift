// libFuzzer target: urlencoded forms, queries, multipart bodies (the first byte picks the boundary's
// length), cookies and chunked bodies, all from the same bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzForms(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = URLEncodedForm(parsing: bytes)
    _ = URLEncodedForm.firstValue("a", in: bytes)
    let boundaryLength = Int(bytes.first ?? 0) % 16 + 1
    let boundary = String(decoding: bytes.dropFirst().prefix(boundaryLength), as: UTF8.self)
    _ = try? MultipartForm(body: Array(bytes.dropFirst(boundaryLength + 1)), contentType: "multipart/form-data; boundary=\(boundary)")
    var headers = HTTPHeaders()
    headers.add("Cookie", String(decoding: bytes, as: UTF8.self))
    _ = HTTPRequest(head: HTTPRequestHead(method: .get, path: "/", headers: headers)).cookies
    var decoder = ChunkedBodyDecoder(maxBodyBytes: 1 << 16)
    var body: [UInt8] = []
    _ = bytes.withUnsafeBufferPointer { try? decoder.decode($0, into: &body) }
    return 0
}
