import Foundation

/// Marketing's welcome offer: its words in nb and en, and how many days a code stays valid.
public struct OfferSettings: Sendable, Equatable {
    public var textNB: String
    public var textEN: String
    /// 0: no codes are given.
    public var validDays: Int

    public init(textNB: String, textEN: String, validDays: Int) {
        self.textNB = textNB
        self.textEN = textEN
        self.validDays = validDays
    }

    public func text(in language: String) -> String { language == "en" ? textEN : textNB }

    public static let maxDays = 366
    public static let maxLength = 120
}

/// The one row of `offer_settings`.
public struct OfferSettingsStore: Sendable {
    let pool: any DatabasePool

    public init(pool: any DatabasePool) { self.pool = pool }

    public func settings() async throws -> OfferSettings {
        try await pool.read { database in try Self.settings(in: database) }
    }

    public func save(_ settings: OfferSettings, at time: Date = Date()) async throws {
        try await pool.write { database in
            try database.execute(
                """
                INSERT INTO offer_settings (id, text_nb, text_en, valid_days, updated_at) VALUES (1, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET text_nb = excluded.text_nb, text_en = excluded.text_en,
                    valid_days = excluded.valid_days, updated_at = excluded.updated_at
                """, [settings.textNB, settings.textEN, settings.validDays, time])
        }
    }

    static func settings(in database: any Database) throws -> OfferSettings {
        try database.queryFirst("SELECT text_nb, text_en, valid_days FROM offer_settings WHERE id = 1") { row in
            OfferSettings(textNB: try row[0], textEN: try row[1], validDays: try row[2])
        } ?? OfferSettings(textNB: "", textEN: "", validDays: 0)
    }
}
