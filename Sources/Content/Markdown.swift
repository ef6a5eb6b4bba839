import CCMark
import Foundation

/// Markdown to HTML with libcmark, in safe mode: raw HTML (comments too) is replaced by a placeholder
/// comment and links or images with `javascript:`, `vbscript:`, `file:` or non-image `data:` URLs are
/// emptied, so marketing copy can never inject script into a customer's page. Smart punctuation turns
/// straight quotes and dashes into typographic ones.
public enum Markdown {
    public static func html(from markdown: String) -> String {
        // CMARK_OPT_SAFE is the default since cmark 0.29 (CMARK_OPT_UNSAFE opts out); it is named anyway
        // so the intent survives an older library.
        let options = CMARK_OPT_SMART | CMARK_OPT_SAFE | CMARK_OPT_VALIDATE_UTF8
        var markdown = markdown
        return markdown.withUTF8 { utf8 -> String in
            guard let base = utf8.baseAddress,
                let html = cmark_markdown_to_html(UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), utf8.count, options)
            else { return "" }
            defer { free(html) }
            return String(cString: html)
        }
    }
}
