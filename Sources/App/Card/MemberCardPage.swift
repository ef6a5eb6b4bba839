import Content
import Foundation
import HTTPServer
import Storage

/// `/card`: the member card to show at the till: the name, the member number, and a Code 128 barcode
/// of it drawn on the server. Black on white at full width, readable in sunlight; it works from a
/// bookmark while signed in (else the visitor is sent to log in first).
struct MemberCardPage: Sendable {
    let views: Views
    var wallet = WalletServices()
    var offers: WelcomeOffers? = nil

    func show(_ request: HTTPRequest, signedIn: SignedIn) async throws -> HTTPResponse {
        let language = VisitorLanguage.resolve(request, memberChoice: signedIn.language).language
        let number = signedIn.member.memberNumber
        let label = views.text("card_barcode_label", in: language) + " " + MemberNumber.grouped(number)
        let profile = signedIn.member.profile
        var values: [String: Any] = [
            "name": profile.name ?? profile.givenName ?? "", "number": MemberNumber.grouped(number),
            "barcode": Code128.svg(digits: MemberNumber.digits(number), label: label) ?? "",
        ]
        values.merge(try await Self.walletLinks(wallet, member: signedIn.member)) { _, new in new }
        if let offer = try await offers?.open(member: profile.sub, language: language) {
            values["offer"] = [
                "code": offer.code, "text": offer.text, "validUntil": DisplayFormat.day(offer.validUntil, in: language),
                "barcode": Code128.svg(text: offer.rawCode, label: views.text("card_offer_barcode_label", in: language) + " " + offer.code) ?? "",
            ]
        }
        var response = try views.page("pages/card", in: language, values)
        response.headers.set("Cache-Control", "private, no-store")
        return response
    }

    /// The wallet buttons' targets for the member: Apple's pass, Google's save link.
    static func walletLinks(_ wallet: WalletServices, member: Member) async throws -> [String: Any] {
        var values: [String: Any] = [:]
        if wallet.apple != nil { values["appleWallet"] = "/card.pkpass" }
        if let google = wallet.google {
            // The object's id needs no stored serial: a hash of the member's Vipps id names it.
            let serial = String(Tokens.sha256Hex("google-wallet:" + member.profile.sub).prefix(32))
            values["googleWallet"] = try await google.link(
                serial: serial, name: member.profile.name ?? member.profile.givenName ?? "", number: member.memberNumber)
        }
        values["hasWallet"] = !values.isEmpty
        return values
    }
}
