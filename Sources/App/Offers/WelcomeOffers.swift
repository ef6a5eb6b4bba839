import Content
import Foundation
import Storage

/// A member's welcome offer as the card and the wallet pass show it: only while it can be used.
struct WelcomeOffers: Sendable {
    let offers: WelcomeOfferStore
    let settings: OfferSettingsStore

    struct Shown: Sendable, Equatable {
        /// `K7QM-4XRD`.
        var code: String
        /// `K7QM4XRD`, for the barcode (what a scanner types).
        var rawCode: String
        var text: String
        var validUntil: Date
    }

    /// The member's offer if it is unredeemed and unexpired, in marketing's words in `language`.
    func open(member sub: String, language: Language, at time: Date = Date()) async throws -> Shown? {
        guard let offer = try await offers.find(member: sub), offer.isOpen(at: time) else { return nil }
        let text = try await settings.settings().text(in: language.rawValue)
        return Shown(code: offer.shown, rawCode: offer.code, text: text, validUntil: offer.validUntil)
    }
}
