import Content
import Foundation
import HTTPServer
import Storage

/// The content editor for marketing: the page list with states, an edit form with front-matter fields,
/// a server-rendered preview per persona, revisions with history, diff and restore, publish and unpublish.
/// Every change is a new revision and an audit entry.
struct EditorPages: Sendable {
    let access: StaffAccess
    let staff: StaffStore
    let library: PageLibrary
    let views: Views
    let pages: StaffPages
    /// The welcome offer's words and validity, edited in a small form under the page list.
    var offerSettings: OfferSettingsStore? = nil

    static let roles: Set<StaffMember.Role> = [.marketing]

    func list(_ request: HTTPRequest, offerError: String? = nil, status: HTTPStatus = .ok) async throws -> HTTPResponse {
        let session = try request.staffSession
        let now = Date()
        let language = VisitorLanguage.resolve(request).language
        let rows: [[String: Any]] = try await library.store.overview().map { page in
            let draft = page.latest.draft
            return [
                "slug": draft.slug, "lang": draft.lang, "kind": views.text("editor_kind_" + draft.kind, in: language),
                "audience": label("editor_audience_" + draft.audience, or: draft.audience, in: language), "title": draft.title,
                "state": stateText(page, at: now, in: language), "editor": draft.author,
                "updated": PosAPI.iso(page.latest.createdAt),
                "otherLang": draft.lang == "nb" ? "en" : "nb",
            ]
        }
        var values: [String: Any] = ["pages": rows]
        if let offer = try await offerSettings?.settings() {
            values["offer"] = [
                "textNB": offer.textNB, "textEN": offer.textEN, "days": String(offer.validDays), "error": offerError ?? "",
                "hasError": offerError != nil, "saved": request.queryValue("saved") == "offer",
            ]
        }
        return try pages.page("pages/admin-pages", request, session, values, status: status)
    }

    /// `POST /admin/pages/offer`: the welcome offer's words (nb and en) and how many days a new code is valid.
    func saveOffer(_ request: HTTPRequest) async throws -> HTTPResponse {
        let session = try request.staffSession
        let form = request.formFields() ?? URLEncodedForm()
        try access.checkCSRF(form, session, request)
        guard let store = offerSettings else { return .status(.notFound) }
        let nb = (form["text_nb"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let en = (form["text_en"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let days = Int((form["days"] ?? "").trimmingCharacters(in: .whitespaces))
        guard !nb.isEmpty, !en.isEmpty, nb.count <= OfferSettings.maxLength, en.count <= OfferSettings.maxLength,
            let days, (0...OfferSettings.maxDays).contains(days)
        else {
            let language = VisitorLanguage.resolve(request).language
            return try await list(request, offerError: views.text("editor_offer_error", in: language), status: .unprocessableContent)
        }
        try await store.save(OfferSettings(textNB: nb, textEN: en, validDays: days))
        try await staff.audit(session.staff, action: "offer.save", detail: "\(days) days")
        return .redirect(to: "/admin/pages?saved=offer")
    }

    /// The state as marketing reads it: "planlagt 3. des. kl. 08.00" rather than "planlagt".
    func stateText(_ page: PageOverview, at time: Date, in language: Language) -> String {
        let state = Self.state(page, at: time)
        let text = views.text("editor_state_" + state, in: language)
        guard state == "scheduled", let publishAt = page.published?.draft.publishAt else { return text }
        return text + " " + DisplayFormat.moment(publishAt, in: language)
    }

    /// A named choice's label, or the value itself when it has none.
    func label(_ key: String, or value: String, in language: Language) -> String {
        let text = views.text(key, in: language)
        return text == key ? value : text
    }

    /// draft (never published), scheduled, live, expired, or live_draft when the newest revision is not the live one.
    static func state(_ page: PageOverview, at time: Date) -> String {
        guard let published = page.published else { return "draft" }
        if let publishAt = published.draft.publishAt, publishAt > time { return "scheduled" }
        if let expireAt = published.draft.expireAt, expireAt <= time { return "expired" }
        return published.id == page.latest.id ? "live" : "live_draft"
    }

    func edit(_ request: HTTPRequest) async throws -> HTTPResponse {
        let session = try request.staffSession
        var form = PageForm()
        if let slug = request.queryValue("slug"), let lang = request.queryValue("lang") {
            if let latest = try await library.store.history(slug: slug, lang: lang).first {
                form = PageForm(source: latest.draft.source)
            } else if let variantOf = request.queryValue("from"), let original = try await library.store.history(slug: slug, lang: variantOf).first {
                // A new language variant starts from the other language's text.
                form = PageForm(source: original.draft.source)
                form.lang = lang
            }
        }
        return try render(form, session: session, request: request)
    }

    func save(_ request: HTTPRequest) async throws -> HTTPResponse {
        let session = try request.staffSession
        let fields = request.formFields() ?? URLEncodedForm()
        try access.checkCSRF(fields, session, request)
        let form = PageForm(fields)
        let action = fields["action"] ?? "draft"
        let page: Page
        do {
            page = try Page.parse(form.source)
        } catch {
            let (field, bodyLine) = PageForm.location(ofLine: error.line)
            let language = VisitorLanguage.resolve(request).language
            let explanation = EditorMessages.frontMatter(error, views: views, language: language)
            let message =
                bodyLine.map { "\(views.text("editor_body_line", in: language)) \($0): \(explanation)" }
                ?? "\(field) (\(views.text("editor_line", in: language)) \(error.line)): \(explanation)"
            return try render(form, session: session, request: request, error: message, errorField: field, status: .unprocessableContent)
        }
        if action == "preview" {
            return try preview(page, persona: fields["persona"] ?? "first")
        }
        let publish = action == "publish"
        let revision = try await library.save(source: form.source, author: session.staff.name ?? session.staff.phone, publish: publish)
        try await staff.audit(
            session.staff, action: publish ? "page.publish" : "page.save", detail: "\(page.slug)/\(page.lang.rawValue) revision \(revision.id)")
        // Saved either way; the history page warns about every placeholder some visitor would see empty.
        let holes = Set(Persona.holes(in: page).flatMap(\.placeholders).map(\.rawValue)).sorted()
        let warning = holes.isEmpty ? "" : "&holes=" + holes.joined(separator: ",")
        // The history page confirms what happened: saved as a draft, published, or scheduled.
        let done = !publish ? "draft" : (page.publishAt.map { $0 > Date() } ?? false) ? "scheduled" : "published"
        return .redirect(to: "/admin/pages/history?slug=\(page.slug)&lang=\(page.lang.rawValue)&done=\(done)" + warning)
    }

    func history(_ request: HTTPRequest) async throws -> HTTPResponse {
        let session = try request.staffSession
        guard let slug = request.queryValue("slug"), let lang = request.queryValue("lang") else {
            throw StaffAccess.Denied(response: .status(.notFound))
        }
        let revisions = try await library.store.history(slug: slug, lang: lang)
        let language = VisitorLanguage.resolve(request).language
        let now = Date()
        let rows: [[String: Any]] = revisions.enumerated().map { index, revision in
            let scheduled = revision.isPublished ? revision.draft.publishAt.flatMap { $0 > now ? $0 : nil } : nil
            var row: [String: Any] = [
                "id": revision.id, "author": revision.draft.author, "at": PosAPI.iso(revision.createdAt),
                "published": revision.isPublished, "title": revision.draft.title,
                "liveText": scheduled.map { views.text("editor_state_scheduled", in: language) + " " + DisplayFormat.moment($0, in: language) }
                    ?? views.text("editor_live", in: language),
            ]
            if index + 1 < revisions.count { row["previous"] = revisions[index + 1].id }
            return row
        }
        let holes = (request.queryValue("holes") ?? "").split(separator: ",").compactMap { Placeholder(rawValue: String($0)) }
        var context: [String: Any] = ["slug": slug, "lang": lang, "revisions": rows]
        if let done = request.queryValue("done"), ["draft", "published", "scheduled", "restored", "unchanged"].contains(done) {
            var notice = views.text("editor_done_" + done, in: language)
            if done == "scheduled", let publishAt = revisions.first?.draft.publishAt {
                notice = notice.replacingOccurrences(of: "{when}", with: DisplayFormat.moment(publishAt, in: language))
            }
            context["notice"] = notice
        }
        if !holes.isEmpty {
            context["holes"] = views.text("editor_holes", in: language)
                .replacingOccurrences(of: "{placeholders}", with: holes.map(\.token).joined(separator: ", "))
                .replacingOccurrences(of: "{example}", with: fallbackExample(for: holes, in: language))
        }
        return try pages.page("pages/admin-history", request, session, context)
    }

    func diff(_ request: HTTPRequest) async throws -> HTTPResponse {
        let session = try request.staffSession
        guard let from = request.queryValue("from").flatMap(Int64.init), let to = request.queryValue("to").flatMap(Int64.init),
            let old = try await library.store.revision(id: from), let new = try await library.store.revision(id: to)
        else {
            throw StaffAccess.Denied(response: .status(.notFound))
        }
        let lines: [[String: Any]] = LineDiff.diff(old.draft.source, new.draft.source).map { line in
            switch line {
            case .same(let text): ["text": text, "kind": "same", "mark": " "]
            case .removed(let text): ["text": text, "kind": "removed", "mark": "−"]
            case .added(let text): ["text": text, "kind": "added", "mark": "+"]
            }
        }
        let unchanged = lines.allSatisfy { ($0["kind"] as? String) == "same" }
        return try pages.page(
            "pages/admin-diff", request, session,
            [
                "from": from, "to": to, "lines": unchanged ? [] : lines, "unchanged": unchanged,
                "slug": new.draft.slug, "lang": new.draft.lang,
            ])
    }

    /// Restores an old revision as a new one (history only grows), published when it was asked to be.
    func restore(_ request: HTTPRequest) async throws -> HTTPResponse {
        let session = try request.staffSession
        let fields = request.formFields()
        try access.checkCSRF(fields, session, request)
        guard let id = fields?["revision"].flatMap(Int64.init), let old = try await library.store.revision(id: id) else {
            throw StaffAccess.Denied(response: .status(.notFound))
        }
        let publish = fields?["publish"] == "yes"
        let revision = try await library.save(source: old.draft.source, author: session.staff.name ?? session.staff.phone, publish: publish)
        try await staff.audit(session.staff, action: "page.restore", detail: "\(old.draft.slug)/\(old.draft.lang) revision \(id) as \(revision.id)")
        return .redirect(to: "/admin/pages/history?slug=\(old.draft.slug)&lang=\(old.draft.lang)&done=restored")
    }

    func unpublish(_ request: HTTPRequest) async throws -> HTTPResponse {
        let session = try request.staffSession
        let fields = request.formFields()
        try access.checkCSRF(fields, session, request)
        guard let slug = fields?["slug"], let lang = fields?["lang"] else { throw StaffAccess.Denied(response: .status(.notFound)) }
        try await library.store.unpublish(slug: slug, lang: lang)
        try await library.reload()
        try await staff.audit(session.staff, action: "page.unpublish", detail: "\(slug)/\(lang)")
        return .redirect(to: "/admin/pages")
    }

    /// `{{given_name|du}}` and the like, for the first hole that has a natural fallback.
    func fallbackExample(for holes: [Placeholder], in language: Language) -> String {
        let example = holes.first { $0 != .familyName } ?? .givenName
        return "{{\(example.rawValue)|\(views.text("editor_hole_example_" + example.rawValue, in: language))}}"
    }

    /// The page as the customer will see it, for a persona: first visit, returning, a member whose store
    /// has no display name, anonymous, or with a consent.
    func preview(_ page: Page, persona id: String) throws -> HTTPResponse {
        let rendered = RenderedPage(revisionID: 0, page: page)
        let persona = Persona.named(id)
        let named = persona.id != "anonymous"
        let banner = views.text("editor_preview_banner", in: page.lang)
        var response: HTTPResponse
        if page.kind == .welcome {
            let greeting =
                named
                ? views.text("greeting_named", in: page.lang).replacingOccurrences(of: "{name}", with: "Ada")
                : views.text("greeting_anonymous", in: page.lang)
            response = try views.page(
                "pages/welcome", in: page.lang,
                [
                    "greeting": greeting, "signedIn": named, "previewBanner": banner,
                    "page": ["title": page.title, "html": rendered.html.render(persona.values), "lang": page.lang.rawValue],
                ])
        } else {
            response = try views.page(
                "pages/offer", in: page.lang,
                [
                    "title": page.title, "html": rendered.html.render(persona.values), "previewBanner": banner,
                    "pageLang": page.lang.rawValue,
                ])
        }
        response.headers.set("Cache-Control", "no-store")
        // Shown in the editor's phone-sized frame beside the text: framable by our own pages only.
        response.headers.set("X-Frame-Options", "SAMEORIGIN")
        response.headers.set(
            "Content-Security-Policy",
            SecurityHeaders.contentSecurityPolicy.replacingOccurrences(of: "frame-ancestors 'none'", with: "frame-ancestors 'self'"))
        response.headers.set("X-Velkommen-Preview", persona.id)
        // The page is rendered either way; the header says whether this persona would be shown it.
        response.headers.set("X-Velkommen-Preview-Shown", persona.sees(page) ? "yes" : "no")
        return response
    }

    private func render(
        _ form: PageForm, session: StaffSession, request: HTTPRequest, error: String? = nil, errorField: String? = nil,
        status: HTTPStatus = .ok
    ) throws -> HTTPResponse {
        let language = VisitorLanguage.resolve(request).language
        var context = form.context(label: { views.text($0, in: language) })
        context["error"] = error ?? ""
        context["hasError"] = error != nil
        if let errorField { context["error_" + errorField] = true }
        context["placeholders"] = Placeholder.names
        return try pages.page("pages/admin-edit", request, session, context, status: status)
    }
}
