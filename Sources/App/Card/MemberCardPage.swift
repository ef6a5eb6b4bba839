import Content
import Foundation
import HTTPServer
import Storage

/// `/card`: the member card to show at the till: the name, the member number, and a Code 128 barcode
/// of it drawn on the server. Black on white at full width, readable in sunlight; it works from a
/// bookmark while signed in (else the visitor is sent to log in first).
struct MemberCardPage: Sendable {
    let views: Views

    func show(_ request: HTTPRequest, signedIn: SignedIn) throws -> HTTPResponse {
        let language = VisitorLanguage.resolve(request, memberChoice: signedIn.language).language
        let number = signedIn.member.memberNumber
        let label = views.text("card_barcode_label", in: language) + " " + MemberNumber.grouped(number)
        let profile = signedIn.member.profile
        var response = try views.page(
            "pages/card", in: language,
            [
                "name": profile.name ?? profile.givenName ?? "", "number": MemberNumber.grouped(number),
                "barcode": Code128.svg(digits: MemberNumber.digits(number), label: label) ?? "",
            ])
        response.headers.set("Cache-Control", "private, no-store")
        return response
    }
}
