import Foundation

/// An image as stored: its name (`<hash>.png`), type, bytes and the alt text it was uploaded with.
public struct MediaItem: Sendable, Equatable {
    public var name: String
    public var contentType: String
    public var bytes: Data
    public var alt: String
    public var author: String
    public var createdAt: Date

    public init(name: String, contentType: String, bytes: Data, alt: String, author: String, createdAt: Date) {
        self.name = name
        self.contentType = contentType
        self.bytes = bytes
        self.alt = alt
        self.author = author
        self.createdAt = createdAt
    }
}

/// Images for pages.
public struct MediaStore: Sendable {
    let pool: any DatabasePool

    public init(pool: any DatabasePool) { self.pool = pool }

    /// Stores `item` unless an image of that name (the same content) is there already; returns whether it was new.
    @discardableResult
    public func add(_ item: MediaItem) async throws -> Bool {
        try await pool.write { database in
            try database.execute(
                """
                INSERT INTO media (name, content_type, bytes, alt, author, created_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (name) DO NOTHING
                """, [item.name, item.contentType, item.bytes, item.alt, item.author, item.createdAt])
            return database.changes > 0
        }
    }

    public func find(name: String) async throws -> MediaItem? {
        try await pool.read { database in
            try database.queryFirst("SELECT name, content_type, bytes, alt, author, created_at FROM media WHERE name = ?", [name], Self.item)
        }
    }

    /// The newest images first, without their bytes.
    public func recent(limit: Int = 50) async throws -> [MediaItem] {
        try await pool.read { database in
            try database.query(
                "SELECT name, content_type, '', alt, author, created_at FROM media ORDER BY created_at DESC LIMIT ?", [limit]
            ) { row in
                MediaItem(name: try row[0], contentType: try row[1], bytes: Data(), alt: try row[3], author: try row[4], createdAt: try row[5])
            }
        }
    }

    private static func item(_ row: Row) throws -> MediaItem {
        MediaItem(name: try row[0], contentType: try row[1], bytes: try row[2], alt: try row[3], author: try row[4], createdAt: try row[5])
    }
}
