import Foundation

/// A page revision to save: the Markdown source with its front matter, and the fields the caller read
/// from that front matter (Storage does not parse Markdown; Content does).
public struct PageDraft: Sendable, Equatable {
    public var slug: String
    public var lang: String
    public var kind: String
    public var title: String
    public var audience: String
    public var publishAt: Date?
    public var expireAt: Date?
    public var source: String
    public var author: String

    public init(
        slug: String, lang: String, kind: String, title: String, audience: String, publishAt: Date?,
        expireAt: Date?, source: String, author: String
    ) {
        self.slug = slug
        self.lang = lang
        self.kind = kind
        self.title = title
        self.audience = audience
        self.publishAt = publishAt
        self.expireAt = expireAt
        self.source = source
        self.author = author
    }
}

/// A saved revision of a page.
public struct PageRevision: Sendable, Equatable, Identifiable {
    public var id: Int64
    public var draft: PageDraft
    public var createdAt: Date
    /// Whether this is the page's published revision.
    public var isPublished: Bool
}

/// The welcome and offer pages, with every revision kept.
public struct PageStore: Sendable {
    let pool: any DatabasePool

    public init(pool: any DatabasePool) { self.pool = pool }

    /// Saves `draft` as a new revision of its page (slug and language), creating the page on first save;
    /// with `publish` the revision becomes the one visitors see.
    @discardableResult
    public func save(_ draft: PageDraft, publish: Bool, at time: Date = Date()) async throws -> PageRevision {
        try await pool.write { database in try Self.save(draft, publish: publish, at: time, in: database) }
    }

    static func save(_ draft: PageDraft, publish: Bool, at time: Date, in database: any Database) throws -> PageRevision {
        try database.execute(
            """
            INSERT INTO pages (slug, lang, kind, created_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (slug, lang) DO UPDATE SET kind = excluded.kind
            """, [draft.slug, draft.lang, draft.kind, time])
        guard let pageID: Int64 = try database.scalar("SELECT id FROM pages WHERE slug = ? AND lang = ?", [draft.slug, draft.lang]) else {
            throw StorageError.unexpectedNull(column: "pages.id")
        }
        guard
            let revisionID: Int64 = try database.scalar(
                """
                INSERT INTO page_revisions (page_id, source, title, audience, publish_at, expire_at, author, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """, [pageID, draft.source, draft.title, draft.audience, draft.publishAt, draft.expireAt, draft.author, time])
        else {
            throw StorageError.unexpectedNull(column: "page_revisions.id")
        }
        if publish {
            try database.execute("UPDATE pages SET published_revision_id = ? WHERE id = ?", [revisionID, pageID])
        }
        return PageRevision(id: revisionID, draft: draft, createdAt: time, isPublished: publish)
    }

    /// Saves every draft, published, in one transaction: for seeding an empty database.
    public func seed(_ drafts: [PageDraft], at time: Date = Date()) async throws {
        try await pool.write { database in
            for draft in drafts { _ = try Self.save(draft, publish: true, at: time, in: database) }
        }
    }

    /// Makes an existing revision the published one of its page; false when there is no such revision.
    @discardableResult
    public func publish(revisionID: Int64) async throws -> Bool {
        try await pool.write { database in
            try database.execute(
                """
                UPDATE pages SET published_revision_id = ?
                WHERE id = (SELECT page_id FROM page_revisions WHERE id = ?)
                """, [revisionID, revisionID])
            return database.changes > 0
        }
    }

    /// The published revision of every page: what the site shows (publish windows still apply).
    public func published() async throws -> [PageRevision] {
        try await pool.read { database in
            try database.query(Self.select + " WHERE r.id = p.published_revision_id ORDER BY p.kind, p.slug, p.lang") { try Self.revision($0) }
        }
    }

    /// Every revision of one page, newest first.
    public func history(slug: String, lang: String) async throws -> [PageRevision] {
        try await pool.read { database in
            try database.query(Self.select + " WHERE p.slug = ? AND p.lang = ? ORDER BY r.id DESC", [slug, lang]) { try Self.revision($0) }
        }
    }

    public func revision(id: Int64) async throws -> PageRevision? {
        try await pool.read { database in
            try database.queryFirst(Self.select + " WHERE r.id = ?", [id]) { try Self.revision($0) }
        }
    }

    /// How many pages exist (0 on a fresh database, which is then seeded).
    public func pageCount() async throws -> Int {
        try await pool.read { database in try database.scalar("SELECT count(*) FROM pages") ?? 0 }
    }

    static var selectRevisions: String { select }

    private static let select = """
        SELECT r.id, p.slug, p.lang, p.kind, r.title, r.audience, r.publish_at, r.expire_at, r.source, r.author,
               r.created_at, r.id = p.published_revision_id
        FROM page_revisions r JOIN pages p ON p.id = r.page_id
        """

    static func revision(_ row: Row) throws -> PageRevision {
        PageRevision(
            id: try row[0],
            draft: PageDraft(
                slug: try row[1], lang: try row[2], kind: try row[3], title: try row[4], audience: try row[5],
                publishAt: try row[6], expireAt: try row[7], source: try row[8], author: try row[9]),
            createdAt: try row[10],
            isPublished: (try row[11] as Bool?) ?? false)
    }
}

/// One page for the editor's list: its newest revision and the published one.
public struct PageOverview: Sendable, Equatable {
    public var latest: PageRevision
    public var published: PageRevision?
}

extension PageStore {
    /// Every page with its newest and its published revision, by kind, slug and language.
    public func overview() async throws -> [PageOverview] {
        let revisions = try await pool.read { database in
            try database.query(
                Self.selectRevisions + """
                     WHERE r.id = (SELECT max(id) FROM page_revisions WHERE page_id = p.id) OR r.id = p.published_revision_id
                     ORDER BY p.kind, p.slug, p.lang, r.id
                    """
            ) { try Self.revision($0) }
        }
        var pages: [String: PageOverview] = [:]
        var order: [String] = []
        for revision in revisions {
            let key = revision.draft.slug + "/" + revision.draft.lang
            if pages[key] == nil { order.append(key) }
            var entry = pages[key] ?? PageOverview(latest: revision, published: nil)
            if revision.id >= entry.latest.id { entry.latest = revision }
            if revision.isPublished { entry.published = revision }
            pages[key] = entry
        }
        return order.compactMap { pages[$0] }
    }

    /// Takes a page off the site (its revisions stay).
    @discardableResult
    public func unpublish(slug: String, lang: String) async throws -> Bool {
        try await pool.write { database in
            try database.execute("UPDATE pages SET published_revision_id = NULL WHERE slug = ? AND lang = ?", [slug, lang])
            return database.changes > 0
        }
    }
}
