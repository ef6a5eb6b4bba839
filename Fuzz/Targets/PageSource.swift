// libFuzzer target: a page's front matter and Markdown (cmark in safe mode) and its placeholders.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPageSource(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? Page.parse(text)
    let html = Markdown.html(from: text)
    precondition(!html.lowercased().contains("<script"), "script survived safe mode")
    _ = PlaceholderTemplate(html: html).render([.givenName: text])
    _ = Language.negotiate(choice: nil, acceptLanguage: text)
    return 0
}
