import Content
import Synchronization

/// Whole pages rendered once and kept with holes for the visitor's values. Mustache renders through
/// `Any` and dynamic casts (about 50 µs for the welcome page); filling a cached page is a few appends.
/// The cached HTML is built only from trusted input (templates, strings, rendered Markdown) with
/// placeholder tokens where personal values go; those are escaped when filled in.
final class RenderCache: Sendable {
    private struct Entry {
        var generation: Int
        var page: PlaceholderTemplate
    }

    private let entries = Mutex<[String: Entry]>([:])
    /// Keys are made of languages, pages and audiences, a small set; the bound only guards against a
    /// key built from something unexpected.
    private let capacity: Int

    init(capacity: Int = 2048) { self.capacity = capacity }

    /// The page for `key` as rendered in catalog `generation`, built by `render` when missing or older.
    func page(_ key: String, generation: Int, render: () throws -> String) rethrows -> PlaceholderTemplate {
        if let entry = entries.withLock({ $0[key] }), entry.generation == generation { return entry.page }
        let page = PlaceholderTemplate(html: try render())
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            if let current = entries[key], current.generation > generation { return }
            entries[key] = Entry(generation: generation, page: page)
        }
        return page
    }
}
