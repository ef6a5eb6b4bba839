/// The anchors' /page, byte for byte as the anchors harness renders it, so the work outside the
/// server is the same for every peer.
func renderPage(name: String) -> String {
    let escaped = htmlEscape(name)
    return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Hello, \(escaped)</title></head>
        <body><header><nav><a href="/">Home</a> | <a href="/stats">Stats</a></nav></header>
        <main><h1>Hello, \(escaped)!</h1><p>This page was rendered for you on the server.</p>
        <form method="post" action="/form"><input name="title" value="\(escaped)"><button>Send</button></form>
        </main></body></html>

        """
}

/// Escapes the five HTML-significant characters.
func htmlEscape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count + 16)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}
