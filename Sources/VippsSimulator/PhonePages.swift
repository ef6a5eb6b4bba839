import Foundation
import HTTPServer

/// The simulated Vipps app's screens, as plain HTML forms (no JavaScript), in the app's own words.
enum PhonePages {
    static func page(_ title: String, _ body: String, status: HTTPStatus = .ok) -> HTTPResponse {
        .html(
            """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title)) · Vipps simulator</title>
            <style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:0 auto;padding:1rem;color:#1b1b1f}
            .card{border:1px solid #ddd;border-radius:.75rem;padding:1rem;margin:1rem 0}.code{font-size:1.6rem;letter-spacing:.15em;font-weight:700}
            button{font:inherit;padding:.7rem 1.2rem;border-radius:.5rem;border:0;background:#ff5b24;color:#fff;font-weight:600}
            button.secondary{background:#eee;color:#1b1b1f}.error{color:#a10000;font-weight:600}label{display:block;margin:.4rem 0}</style>
            </head><body><header><p><strong>Vipps</strong> · simulator</p></header><main><h1>\(escape(title))</h1>
            \(body)
            </main></body></html>
            """, status: status)
    }

    static func index(users: [TestUser]) -> HTTPResponse {
        let rows = users.map { user in
            "<li><a href=\"/phone/\(user.msisdn)\">+\(user.msisdn)</a> \(escape(user.name)) — \(describe(user))</li>"
        }.joined(separator: "\n")
        return page("Test users", "<p>Open a user's phone to confirm logins sent to it.</p><ul>\n\(rows)\n</ul>")
    }

    static func describe(_ user: TestUser) -> String {
        switch user.behaviour {
        case .underAge: return "under 15: login refused (invalid_user)"
        case .oldApp: return "outdated app (old_app)"
        case .normal:
            if !user.previousMsisdns.isEmpty { return "changed number (was +\(user.previousMsisdns.joined(separator: ", +")))" }
            if user.address == nil { return "no address" }
            if !user.emailVerified { return "unverified email" }
            return "full profile"
        }
    }

    /// The labels of the data a login asks for.
    static func requestedData(_ scopes: [String]) -> String {
        let labels = [
            "name": "Name", "email": "Email address", "phoneNumber": "Phone number", "address": "Addresses",
            "birthDate": "Date of birth", "nin": "National identity number", "delegatedConsents": "Marketing consents",
            "customFlow": "Membership consents", "agreement": "Acceptance of the terms",
        ]
        let items = scopes.compactMap { labels[$0] }
        return items.isEmpty ? "Only that it is you" : items.joined(separator: ", ")
    }

    static func pending(user: TestUser, logins: [PendingLogin], merchant: String) -> HTTPResponse {
        guard !logins.isEmpty else {
            return page(
                "No login requests", "<p>Nothing is waiting for +\(user.msisdn) (\(escape(user.name))). Reload when the till has started a login.</p>"
            )
        }
        let cards = logins.map { login in
            """
            <section class="card">
            <h2>Log in to \(escape(merchant))?</h2>
            \(login.bindingMessage.map { "<p>Check that the till shows this code:</p><p class=\"code\">\(escape($0))</p>" } ?? "")
            <p>\(escape(merchant)) asks for: \(escape(requestedData(login.scopes)))</p>
            <form method="post" action="/phone/\(user.msisdn)/logins/\(escape(login.authReqID))/confirm"><button>Confirm</button></form>
            <form method="post" action="/phone/\(user.msisdn)/logins/\(escape(login.authReqID))/cancel"><button class="secondary">Cancel</button></form>
            </section>
            """
        }.joined(separator: "\n")
        return page("Login requests", cards)
    }

    /// The consent screens of one login on one page: the delegated consents, the merchant's own flow
    /// (each screen with its title, description, terms links and checkboxes), and the terms to accept.
    static func consents(
        user: TestUser, login: PendingLogin, configuration: SimulatorConfiguration, screens: ConsentScreens, error: String? = nil
    ) -> HTTPResponse {
        var sections: [String] = []
        if !screens.delegated.isEmpty {
            let boxes = screens.delegated.map { consent in
                "<label><input type=\"checkbox\" name=\"consent\" value=\"\(escape(consent.id))\"> \(escape(consent.textEN))\(consent.required ? " (required)" : "")</label>"
            }.joined(separator: "\n")
            sections.append(
                """
                <section class="card"><h2>Give consent</h2>
                <p>\(escape(configuration.merchantName)) wants to send you relevant offers through their digital channels.</p>
                \(boxes)
                <p><a href="\(escape(configuration.termsLinkURL))">Read the terms of use.</a> <a href="\(escape(configuration.privacyStatementLinkURL))">Read the privacy policy.</a></p>
                </section>
                """)
        }
        for screen in screens.flow {
            let boxes = screen.checkboxes.map { box in
                "<label><input type=\"checkbox\" name=\"flow\" value=\"\(escape(box.id))\"> \(escape(box.title))\(box.required ? " (required)" : "")</label>"
            }.joined(separator: "\n")
            let links = screen.links.map { "<a href=\"\(escape($0.url))\">\(escape($0.title))</a>" }.joined(separator: " ")
            sections.append(
                "<section class=\"card\"><h2>\(escape(screen.title))</h2><p>\(escape(screen.description))</p>\n\(boxes)\n<p>\(links)</p></section>")
        }
        if screens.agreement {
            let terms = configuration.agreement
            sections.append(
                """
                <section class="card"><h2>Terms</h2><p>\(escape(terms.description))</p>
                <p><a href="\(escape(terms.termsLinkURL))">\(escape(terms.termsLinkText))</a> <a href="\(escape(terms.privacyStatementLinkURL))">\(escape(terms.privacyStatementLinkText))</a></p>
                <label><input type="checkbox" name="agreement" value="accept"> \(escape(terms.buttonText))</label></section>
                """)
        }
        return page(
            "Give consent",
            """
            \(error.map { "<p class=\"error\">\(escape($0))</p>" } ?? "")
            <form method="post" action="/phone/\(user.msisdn)/logins/\(escape(login.authReqID))/consents">
            \(sections.joined(separator: "\n"))
            <button>Confirm</button></form>
            """, status: error == nil ? .ok : .unprocessableContent)
    }

    static func escape(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.append(character)
            }
        }
        return output
    }
}
