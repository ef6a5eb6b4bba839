import Foundation
import HTTPServer
import Storage

/// `/admin/tills` (admins): pair a till without pasting a key. The admin picks the store and names the
/// till; the page shows a one-time code for 15 minutes; typed at the till's key page, it becomes a POS
/// API key of that till's own (`velkommen apikey list` shows it; revoke it like any other).
struct TillPairingPages: Sendable {
    let access: StaffAccess
    let pages: StaffPages
    let pairings: TillPairingStore
    let stores: StoreNames

    func show(_ request: HTTPRequest, code: String? = nil, store: String = "", label: String = "", error: Bool = false) async throws -> HTTPResponse {
        let session = try request.staffSession
        var context: [String: Any] = ["store": store, "label": label, "error": error, "stores": stores.ids.map { ["id": $0] }]
        if let code {
            context["code"] = code
            context["minutes"] = Int(PairingCode.lifetime / 60)
        }
        return try pages.page("pages/admin-tills", request, session, context, status: error ? .unprocessableContent : .ok)
    }

    func create(_ request: HTTPRequest) async throws -> HTTPResponse {
        let session = try request.staffSession
        let form = request.formFields()
        try access.checkCSRF(form, session, request)
        let store = form?["store"]?.trimmingCharacters(in: .whitespaces) ?? ""
        let label = form?["label"]?.trimmingCharacters(in: .whitespaces) ?? ""
        guard LoginStarter.isIdentifier(store), !label.isEmpty, label.count <= 60 else {
            return try await show(request, store: store, label: label, error: true)
        }
        let code = PairingCode.random()
        try await pairings.create(
            codeHash: Tokens.sha256Hex(PairingCode.normalise(code)!), store: store, label: label,
            lifetime: PairingCode.lifetime, by: session.staff)
        return try await show(request, code: code, store: store, label: label)
    }
}
