import Content
import Foundation
import HTTPServer

/// When a login changed a consent the member had answered otherwise before (say, confirming in Vipps
/// without ticking SMS again), the welcome page says so once, with a way to change it back: consents are
/// never changed silently. The changes travel from the callback to `/welcome` in a sealed cookie.
struct ConsentNotices: Sendable {
    static let cookieName = "velkommen_notice"
    static let lifetime: TimeInterval = 600

    let sealer: Sealer
    let secure: Bool

    func cookie(_ changes: [String: Bool]) throws -> SetCookie? {
        guard !changes.isEmpty else { return nil }
        return SetCookie(
            name: Self.cookieName, value: try sealer.seal(changes, purpose: Self.cookieName, lifetime: Self.lifetime),
            path: "/welcome", maxAge: Int(Self.lifetime), secure: secure, httpOnly: true, sameSite: .lax)
    }

    /// The changes to tell this browser about, if any (shown once: the caller clears the cookie).
    func pending(_ request: HTTPRequest) -> [String: Bool]? {
        request.cookie(Self.cookieName).flatMap { sealer.open($0, as: [String: Bool].self, purpose: Self.cookieName) }
    }

    var spent: SetCookie { SetCookie.expired(Self.cookieName, path: "/welcome", secure: secure) }

    /// "Du har nå sagt nei til SMS og ja til e-post."
    static func sentence(_ changes: [String: Bool], views: Views, in language: Language) -> String {
        let parts = changes.sorted { $0.key < $1.key }.map { id, accepted in
            views.text(accepted ? "notice_consent_yes" : "notice_consent_no", in: language)
                .replacingOccurrences(of: "{consent}", with: ConsentNames.name(id, views: views, in: language))
        }
        return views.text("notice_consent_intro", in: language) + " " + parts.joined(separator: views.text("notice_and", in: language)) + "."
    }
}

/// A consent's name as members read it ("SMS", "e-post"), from the UI strings (`consent_name_<id>`);
/// an id without one is shown as it is.
enum ConsentNames {
    static func name(_ id: String, views: Views, in language: Language) -> String {
        name(id, shown: nil, views: views, in: language)
    }

    /// A consent of the merchant's own flow that maps to no channel has no name of ours: the words the
    /// customer saw name it.
    static func name(_ id: String, shown: String?, views: Views, in language: Language) -> String {
        let key = "consent_name_" + id
        let text = views.text(key, in: language)
        return text == key ? shown ?? id : text
    }
}
