import Content
import Foundation
import HTTPServer

/// The pages a customer reads after landing: the welcome page for their audience, the offers, one offer.
/// Everything comes from the in-memory catalog; only the greeting and the placeholders differ per visitor.
struct CustomerPages: Sendable {
    let catalog: PageCatalog
    let views: Views
    let errors: ErrorPages
    let stores: StoreNames
    /// Offers the member card for Apple Wallet on the welcome page (the same link for every member).
    var appleWallet = false
    /// Offers it for Google Wallet too, through `/card/google-wallet` (the link itself is the member's own).
    var googleWallet = false

    /// Who is looking and what their pages may say about them (`values`, filled into placeholders).
    /// Anonymous until login exists.
    struct Viewer {
        var visitor = Visitor.anonymous
        var values: [Placeholder: String] = [:]

        var hasName: Bool { !(values[.givenName] ?? "").isEmpty }
    }

    func welcome(_ request: HTTPRequest, signedIn: SignedIn? = nil, consentChanges: [String: Bool]? = nil) throws -> HTTPResponse {
        let (language, cookie) = VisitorLanguage.resolve(request, memberChoice: signedIn?.language)
        guard let signedIn else {
            // Welcome pages speak to a member by name; a visitor who is nobody yet gets the way in.
            var response = try views.cachedPage("pages/welcome-anonymous", key: "anonymous", generation: 0, in: language, values: [:]) { [:] }
            if let cookie { response.setCookie(cookie) }
            return response
        }
        let viewer = signedIn.viewer(stores: stores)
        let page = catalog.welcome(for: viewer.visitor, in: language)
        let notice = consentChanges.map { ConsentNotices.sentence($0, views: views, in: language) }
        let noticeKey = consentChanges.map { $0.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",") } ?? ""
        // A member who joined in a MobilePay market reads MobilePay until the day it becomes Vipps.
        let brand = stores.brand(of: signedIn.member.firstStore ?? "")
        var response = try views.cachedPage(
            "pages/welcome", key: "\(page?.revisionID ?? 0)|\(viewer.hasName)|\(noticeKey)|\(brand.rawValue)",
            generation: catalog.generation, in: language, values: viewer.values
        ) {
            var context: [String: Any] = ["greeting": greeting(named: viewer.hasName, in: language), "signedIn": true]
            if appleWallet { context["appleWallet"] = "/card.pkpass" }
            if googleWallet { context["googleWallet"] = "/card/google-wallet" }
            context["hasWallet"] = appleWallet || googleWallet
            if brand != .vipps { context["t"] = brand.apply(views.strings(in: language)) }
            if let notice { context["notice"] = notice }
            if let page {
                context["page"] = ["title": page.page.title, "html": page.html.htmlWithTokens, "lang": page.page.lang.rawValue]
            }
            return context
        }
        if let cookie { response.setCookie(cookie) }
        return response
    }

    func offers(_ request: HTTPRequest, signedIn: SignedIn? = nil) throws -> HTTPResponse {
        let viewer = signedIn?.viewer(stores: stores) ?? Viewer()
        let (language, cookie) = VisitorLanguage.resolve(request, memberChoice: signedIn?.language)
        let offers = catalog.offers(for: viewer.visitor, in: language)
        let key = offers.map { String($0.revisionID) }.joined(separator: ",")
        var response = try views.cachedPage("pages/offers", key: key, generation: catalog.generation, in: language, values: viewer.values) {
            [
                "offers": offers.map { offer -> [String: Any] in
                    var item: [String: Any] = ["slug": offer.page.slug, "title": offer.page.title, "lang": offer.page.lang.rawValue]
                    if let expireAt = offer.page.expireAt { item["until"] = DisplayDate.day(before: expireAt, in: language) }
                    return item
                }
            ]
        }
        if let cookie { response.setCookie(cookie) }
        return response
    }

    func offer(_ request: HTTPRequest, signedIn: SignedIn? = nil) throws -> HTTPResponse {
        let viewer = signedIn?.viewer(stores: stores) ?? Viewer()
        let (language, cookie) = VisitorLanguage.resolve(request, memberChoice: signedIn?.language)
        guard let slug = request.parameter("slug"), let offer = catalog.offer(slug: slug, in: language) else {
            return try errors.page(.notFound, for: request)
        }
        var response = try views.cachedPage(
            "pages/offer", key: String(offer.revisionID), generation: catalog.generation,
            in: language, values: viewer.values
        ) {
            var context: [String: Any] = ["title": offer.page.title, "html": offer.html.htmlWithTokens, "pageLang": offer.page.lang.rawValue]
            if let expireAt = offer.page.expireAt { context["until"] = DisplayDate.day(before: expireAt, in: language) }
            return context
        }
        if let cookie { response.setCookie(cookie) }
        return response
    }

    /// The greeting, with the name as a placeholder token so the rendered page can be cached.
    private func greeting(named: Bool, in language: Language) -> String {
        guard named else { return views.text("greeting_anonymous", in: language) }
        return views.text("greeting_named", in: language).replacingOccurrences(of: "{name}", with: Placeholder.givenName.token)
    }
}

/// Dates as customers read them, in the shop's time zone.
enum DisplayDate {
    /// The last day something is valid, when it ends at `end` (an offer ending at midnight on the 25th
    /// is valid until the 24th).
    static func day(before end: Date, in language: Language) -> String {
        var style = Date.FormatStyle(date: .long, time: .omitted)
        style.timeZone = TimeZone(identifier: "Europe/Oslo") ?? .gmt
        style.locale = Locale(identifier: language == .nb ? "nb_NO" : "en_GB")
        return end.addingTimeInterval(-1).formatted(style)
    }
}
