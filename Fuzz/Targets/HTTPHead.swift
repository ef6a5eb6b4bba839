// libFuzzer target: the request-head parser, then the framing of whatever head it accepts.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPHead(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if case .complete(let head, _)? = try? HTTPRequestHeadParser.parse(bytes) {
        _ = head.keepAlive
        _ = HTTPRequest(head: head).cookies
        _ = HTTPRequest(head: head).queryItems
    }
    return 0
}
