import Foundation
import Storage

/// The POS API's JSON, as types: what `Templates/api/openapi.json` describes (a test keeps them equal).
enum PosAPIBody {
    /// `POST /api/v1/logins`.
    struct LoginStart: Codable, Sendable {
        var phone: String?
        /// A scanned personal QR code, instead of `phone`.
        var qr: String?
        var bindingMessage: String?
        var store: String?
        var terminal: String?
        var consents: Bool?
        /// `webpage` or `app`; the store's default when left out.
        var ending: LoginRequest.Ending?
    }

    /// The answer to a start: enough for the till to show the binding message and follow the login.
    struct LoginSummary: Codable, Sendable {
        var id: String
        var bindingMessage: String?
        var expiresAt: String
        var status: String
        var ending: LoginRequest.Ending

        init(_ login: LoginRequest, at time: Date = Date()) {
            id = login.id
            bindingMessage = login.bindingMessage
            expiresAt = PosAPI.iso(login.expiresAt)
            status = login.status(at: time).rawValue
            ending = login.ending
        }
    }

    /// `GET /api/v1/logins/{id}`: where the login got to, with the time of each step.
    struct LoginDetails: Codable, Sendable {
        var id: String
        var bindingMessage: String?
        var expiresAt: String
        var status: String
        var ending: LoginRequest.Ending
        var store: String
        var terminal: String?
        var createdAt: String
        var confirmedAt: String?
        var landedAt: String?
        var completedAt: String?
        var phoneMismatch: Bool
        var failure: String?
        var member: MemberSummary?
        var welcomeOffer: WelcomeOfferSummary?

        init(_ login: LoginRequest, member: MemberSummary? = nil, welcomeOffer: WelcomeOfferSummary? = nil, at time: Date = Date()) {
            let summary = LoginSummary(login, at: time)
            id = summary.id
            bindingMessage = summary.bindingMessage
            expiresAt = summary.expiresAt
            status = summary.status
            ending = summary.ending
            store = login.store
            terminal = login.terminal
            createdAt = PosAPI.iso(login.createdAt)
            confirmedAt = login.confirmedAt.map(PosAPI.iso)
            landedAt = login.landedAt.map(PosAPI.iso)
            completedAt = login.completedAt.map(PosAPI.iso)
            phoneMismatch = login.phoneMismatch
            failure = login.failure
            self.member = member
            self.welcomeOffer = welcomeOffer
        }
    }

    /// RFC 9457 problem details.
    struct ProblemDetails: Codable, Sendable {
        var type: String
        var title: String
        var status: Int
        var detail: String?
        /// `offer-already-redeemed`: when and in which store the code was redeemed.
        var redeemedAt: String?
        var store: String?
    }

    /// Who a confirmed login identified: enough to attach the sale to the member and greet them.
    struct MemberSummary: Codable, Sendable, Equatable {
        /// The member number as on the card, eight digits (`12345674`).
        var number: String
        /// "Ada L.".
        var displayName: String?
        /// Joined in this login.
        var new: Bool
    }

    /// The welcome offer a new member was given.
    struct WelcomeOfferSummary: Codable, Sendable, Equatable {
        /// `K7QM-4XRD`.
        var code: String
        var validUntil: String
        /// The offer in marketing's words, `nb` and `en`.
        var text: [String: String]
        var redeemedAt: String?
    }

    /// `POST /api/v1/offers/{code}/redeem`: the same answer for the same till however often it asks.
    struct Redemption: Codable, Sendable, Equatable {
        var code: String
        var redeemedAt: String
        var store: String
        var memberNumber: String
        var text: [String: String]
    }

    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(value)) ?? Data())
    }
}
