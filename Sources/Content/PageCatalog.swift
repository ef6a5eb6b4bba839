import Foundation
import Synchronization

/// The published pages, rendered, in memory: a customer's page view reads no database and runs no
/// Markdown. The app replaces the set whenever a page is published; revisions already rendered are reused.
public final class PageCatalog: Sendable {
    private let pages: Mutex<[RenderedPage]> = Mutex([])
    private let generationCounter = Atomic<Int>(0)

    public init() {}

    /// Changes whenever the published set is replaced: caches of whole pages built from the catalog
    /// key on it, so a publish shows at once.
    public var generation: Int { generationCounter.load(ordering: .acquiring) }

    /// Makes `revisions` the published set, rendering only those not rendered before.
    public func replace(with revisions: [(revisionID: Int64, page: Page)]) {
        let known = pages.withLock { current in
            Dictionary(current.map { ($0.revisionID, $0) }, uniquingKeysWith: { first, _ in first })
        }
        let rendered = revisions.map { revision in
            known[revision.revisionID] ?? RenderedPage(revisionID: revision.revisionID, page: revision.page)
        }
        pages.withLock { $0 = rendered }
        generationCounter.add(1, ordering: .releasing)
    }

    public var all: [RenderedPage] { pages.withLock { $0 } }

    /// The welcome page for `visitor`: the most specific audience that matches (a consent, then first
    /// visit or returning, then all), newest revision on a tie. In `language` if there is one, else in any.
    public func welcome(for visitor: Visitor, in language: Language, at time: Date = Date()) -> RenderedPage? {
        let candidates = pages.withLock { $0 }.filter { $0.page.kind == .welcome && $0.page.isVisible(at: time) }
        func best(_ pages: [RenderedPage]) -> RenderedPage? {
            pages.compactMap { page in visitor.specificity(of: page.page.audience).map { (page, $0) } }
                .max { ($0.1, $0.0.revisionID) < ($1.1, $1.0.revisionID) }?.0
        }
        return best(candidates.filter { $0.page.lang == language }) ?? best(candidates)
    }

    /// The offers `visitor` may see now in `language`, newest first.
    public func offers(for visitor: Visitor, in language: Language, at time: Date = Date()) -> [RenderedPage] {
        pages.withLock { $0 }
            .filter {
                $0.page.kind == .offer && $0.page.lang == language && $0.page.isVisible(at: time)
                    && visitor.specificity(of: $0.page.audience) != nil
            }
            .sorted { ($0.page.publishAt ?? .distantPast, $0.revisionID) > ($1.page.publishAt ?? .distantPast, $1.revisionID) }
    }

    /// One offer by slug, in `language` if it exists there, else in the other; nil outside its publish window.
    public func offer(slug: String, in language: Language, at time: Date = Date()) -> RenderedPage? {
        let matches = pages.withLock { $0 }.filter { $0.page.kind == .offer && $0.page.slug == slug && $0.page.isVisible(at: time) }
        return matches.first { $0.page.lang == language } ?? matches.first
    }
}
