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

        init(_ login: LoginRequest, at time: Date = Date()) {
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
        }
    }

    /// RFC 9457 problem details.
    struct ProblemDetails: Codable, Sendable {
        var type: String
        var title: String
        var status: Int
        var detail: String?
    }

    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(value)) ?? Data())
    }
}
