import Content
import HTTPServer

/// Which language a request is answered in, and how a visitor changes it: `?lang=en` on any page
/// switches and is remembered in a cookie; otherwise the cookie, then `Accept-Language`, then nb
/// (English for a browser that asks only for languages we do not speak: `Language.negotiate`).
/// (A member's stored choice takes the cookie's place once they have logged in.)
enum VisitorLanguage {
    static let cookieName = "lang"

    static func resolve(_ request: HTTPRequest, memberChoice: Language? = nil) -> (language: Language, cookie: SetCookie?) {
        if let asked = request.queryValue("lang").flatMap(Language.init(rawValue:)) {
            let cookie = SetCookie(name: cookieName, value: asked.rawValue, maxAge: 365 * 24 * 3600)
            return (asked, request.cookie(cookieName) == asked.rawValue ? nil : cookie)
        }
        let choice = memberChoice ?? request.cookie(cookieName).flatMap(Language.init(rawValue:))
        return (Language.negotiate(choice: choice, acceptLanguage: request.headers["Accept-Language"]), nil)
    }
}
