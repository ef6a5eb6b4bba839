import Content
import Foundation
import HTTPServer
import Storage

/// The till's side of the welcome offer: who joined, on the status screen, and `POST /pos/offers`,
/// which redeems a code typed or scanned (or sent by the status screen's button).
extension TillPage {
    /// What the till's status screen shows of the member who joined: number, name, "new", the offer.
    static func memberValues(_ member: PosAPIBody.MemberSummary, offer: PosAPIBody.WelcomeOfferSummary?, language: Language) -> [String: Any] {
        var values: [String: Any] = [
            "number": MemberNumber.grouped(Int(member.number.prefix(7)) ?? 0), "displayName": member.displayName ?? "", "isNew": member.new,
        ]
        if let offer {
            values["offer"] = [
                "code": offer.code, "text": offer.text[language.rawValue] ?? offer.text["nb"] ?? "",
                "validUntil": (try? Date(offer.validUntil, strategy: .iso8601)).map { DisplayFormat.day($0, in: language) } ?? offer.validUntil,
                "redeemed": offer.redeemedAt != nil,
            ]
        }
        return values
    }

    /// Who redeems at this till: its API key (the same key as the POS API's, so a retry from either is
    /// the same till), or the store when the till is open through staff login or the demo.
    func tillIdentity(_ request: HTTPRequest, store: String) async throws -> String {
        if let key = request.cookie(Self.keyCookie), let found = try await keys.verify(key) { return "key:" + found.prefix }
        return "store:" + store
    }

    /// `POST /pos/offers`: the code typed, or scanned (a scanner types it and Enter), is redeemed.
    func redeem(_ request: HTTPRequest) async throws -> HTTPResponse {
        let form = request.formFields()
        guard let expected = request.cookie(Self.csrfCookie), CSRF.isValid(form, expected: expected) else {
            let language = VisitorLanguage.resolve(request).language
            return try await show(request, error: views.text("csrf_message", in: language), status: .forbidden)
        }
        return try await redeem(request, code: form?["code"] ?? "")
    }

    func redeem(_ request: HTTPRequest, code: String) async throws -> HTTPResponse {
        let language = VisitorLanguage.resolve(request).language
        let store = try request.tillStore
        let brand = stores.brand(of: store)
        let outcome = try await desk.redeem(code, store: store, till: try await tillIdentity(request, store: store))
        var values: [String: Any] = [
            "t": brand.apply(views.strings(in: language)), "brandName": brand.name, "brandLogo": brand.logo,
            "csrf": request.cookie(Self.csrfCookie) ?? "", "code": WelcomeOfferStore.normalise(code).map(WelcomeOfferStore.grouped) ?? "",
            // The next customer's code can be scanned at once.
            "focusCode": true,
        ]
        let status: HTTPStatus
        switch outcome {
        case .success(let redemption):
            status = .ok
            values["redeemed"] = true
            values["heading"] = views.text("till_offer_redeemed", in: language)
            values["text"] = redemption.text[language.rawValue] ?? redemption.text["nb"] ?? ""
            values["memberNumber"] = MemberNumber.grouped(Int(redemption.memberNumber.prefix(7)) ?? 0)
        case .failure(let problem):
            status = problem.status
            values["redeemed"] = false
            values["heading"] = views.text("till_offer_" + problem.type.replacingOccurrences(of: "-", with: "_"), in: language)
            if let when = problem.redeemedAt.flatMap({ try? Date($0, strategy: .iso8601) }) {
                let place = problem.store.map { stores.name(of: $0, in: language) ?? $0 } ?? ""
                values["text"] = views.text("till_offer_taken_where", in: language)
                    .replacingOccurrences(of: "{when}", with: DisplayFormat.moment(when, in: language))
                    .replacingOccurrences(of: "{store}", with: place)
            }
        }
        var response = try views.page("pages/pos-offer", in: language, status: status, values)
        response.headers.set("Cache-Control", "no-store")
        return response
    }
}
