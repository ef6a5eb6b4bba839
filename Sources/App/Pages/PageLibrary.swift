import Content
import Foundation
import Logging
import Storage

/// Connects the stored pages (Storage) with the rendered ones visitors see (Content): seeds an empty
/// database from `Templates/seed/`, saves revisions after checking their front matter, and refreshes
/// the in-memory catalog after every publish.
public struct PageLibrary: Sendable {
    public let store: PageStore
    public let catalog: PageCatalog
    let logger: Logger

    public init(store: PageStore, catalog: PageCatalog, logger: Logger) {
        self.store = store
        self.catalog = catalog
        self.logger = logger
    }

    /// Loads every `*.md` under `directory` into an empty database, all published; a database that
    /// already has pages is left alone (marketing may have edited or removed the seed).
    /// Returns how many pages were seeded.
    @discardableResult
    public func seedIfEmpty(from directory: String) async throws -> Int {
        guard try await store.pageCount() == 0 else { return 0 }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".md") }.sorted()
        var drafts: [PageDraft] = []
        for file in files {
            let source = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
            do {
                drafts.append(Self.draft(for: try Page.parse(source), source: source, author: "seed"))
            } catch {
                throw SeedError(file: file, error: error)
            }
        }
        try await store.seed(drafts)
        return drafts.count
    }

    /// Saves `source` as a new revision (published or a draft) once its front matter checks out.
    public func save(source: String, author: String, publish: Bool) async throws -> PageRevision {
        let page = try Page.parse(source)
        let revision = try await store.save(Self.draft(for: page, source: source, author: author), publish: publish)
        if publish { try await reload() }
        return revision
    }

    /// Re-reads the published revisions into the catalog.
    public func reload() async throws {
        var pages: [(revisionID: Int64, page: Page)] = []
        for revision in try await store.published() {
            do {
                pages.append((revision.id, try Page.parse(revision.draft.source)))
            } catch {
                // Saved sources were checked on the way in; one that no longer parses (a stricter
                // parser after an upgrade) is left out rather than taking the site down.
                logger.error("page revision \(revision.id) (\(revision.draft.slug)/\(revision.draft.lang)) no longer parses: \(error)")
            }
        }
        catalog.replace(with: pages)
    }

    static func draft(for page: Page, source: String, author: String) -> PageDraft {
        PageDraft(
            slug: page.slug, lang: page.lang.rawValue, kind: page.kind.rawValue, title: page.title,
            audience: page.audience.description, publishAt: page.publishAt, expireAt: page.expireAt,
            source: source, author: author)
    }
}

/// A seed page that does not parse: start-up stops and names the file.
public struct SeedError: Error, CustomStringConvertible {
    public let file: String
    public let error: any Error

    public var description: String { "seed page \(file): \(error)" }
}
