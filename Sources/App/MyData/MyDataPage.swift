import Content
import Foundation
import HTTPServer
import Storage
import VippsLogin

/// `/me`: everything stored about the member, as a page and as a JSON export, and erasure.
struct MyDataPage: Sendable {
    let members: MemberStore
    let answers: AnswerStore
    let ledger: ConsentLedger
    let agreements: AgreementStore
    let sessions: MemberSession
    let views: Views
    let book: QuestionBook
    /// An erased member's phone number leaves the login-start limit's buckets too.
    let limits: RateLimits
    var stores = StoreNames()
    var mapping = ConsentMapping()
    var offers: WelcomeOfferStore? = nil

    func show(_ request: HTTPRequest, signedIn: SignedIn) async throws -> HTTPResponse {
        let language = VisitorLanguage.resolve(request, memberChoice: signedIn.language).language
        let sub = signedIn.member.profile.sub
        let profile = signedIn.member.profile
        let rows: [(String, String?)] = [
            ("me_name", profile.name), ("me_email", profile.email), ("me_phone", profile.phoneNumber.map(DisplayFormat.phone)),
            ("me_birthdate", profile.birthdate.map { DisplayFormat.day(iso: $0, in: language) }), ("me_address", Self.address(profile.addressJSON)),
        ]
        let history = try await answers.history(sub: sub)
        let shown = Self.shown(history)
        let receipts = try await ledger.receipts(sub: sub)
        let questions = book.questions
        let states = try await ledger.current(sub: sub)
        // Accepting the club's terms is no marketing consent to switch off: it stands with the terms.
        let terms = states.filter { mapping.isTerms($0.consentID) && $0.accepted }.map { state -> [String: Any] in
            ["text": state.text ?? state.consentID, "acceptedAt": DisplayFormat.day(state.changedAt, in: language)]
        }
        var values: [String: Any] = [
            "profile": rows.compactMap { key, value in value.map { ["label": views.text(key, in: language), "value": $0] } },
            "termsAccepted": terms,
            "consents": states.filter { !mapping.isTerms($0.consentID) }.map { state in
                let accepted = state.accepted && state.revokedReportedAt == nil
                var consent: [String: Any] = [
                    "id": state.consentID, "name": ConsentNames.name(state.consentID, shown: state.text, views: views, in: language),
                    "accepted": accepted,
                    "state": views.text(
                        state.revokedReportedAt != nil ? "consent_revoked" : state.accepted ? "consent_yes" : "consent_no", in: language),
                    "changedAt": DisplayFormat.day(state.changedAt, in: language),
                ]
                if let text = state.text ?? Self.consentText(state.consentID, receipts: receipts) { consent["vippsText"] = text }
                if let context = Self.context(state.contextJSON) { consent["context"] = context }
                return consent
            },
            "answers": shown.map { answer in
                [
                    "question": questions.question(answer.question)?.label(in: language) ?? answer.question,
                    "value": Self.answerText(answer, question: questions.question(answer.question), views: views, in: language),
                    "answeredAt": DisplayFormat.day(answer.answeredAt, in: language), "current": answer.supersededAt == nil,
                ] as [String: Any]
            },
            "receiptCount": receipts.count,
            "csrf": signedIn.session.csrfToken,
            "since": DisplayFormat.day(signedIn.member.createdAt, in: language),
        ]
        if history.count > shown.count { values["earlierAnswers"] = ["count": history.count - shown.count] }
        let brand = stores.brand(of: signedIn.member.firstStore ?? "")
        if brand != .vipps { values["t"] = brand.apply(views.strings(in: language)) }
        values["termsSection"] = !terms.isEmpty
        if let agreement = try await agreements.latest(sub: sub) {
            values["termsSection"] = true
            let number = try await agreements.numbers()[agreement.version].map(String.init) ?? ""
            values["agreement"] = [
                "version": "\(number) (\(agreement.version.prefix(8)))", "acceptedAt": DisplayFormat.day(agreement.time, in: language),
                "accepted": agreement.accepted,
                "links": Self.agreementLinks(agreement.payload),
            ]
        }
        var response = try views.page("pages/me", in: language, values)
        response.headers.set("Cache-Control", "private, no-store")
        return response
    }

    /// An answer as the member gave it: option labels in their language, dates as days, yes and no as words.
    static func answerText(_ answer: Answer, question: PreferenceQuestions.Question?, views: Views, in language: Language) -> String {
        guard let question else { return answer.value }
        switch question.type {
        case .single, .multiple:
            return answer.value.split(separator: ",").map { value in
                question.options?.first { $0.value == value }.map { $0.label[language.rawValue] ?? $0.label["nb"] ?? String(value) } ?? String(value)
            }.joined(separator: ", ")
        case .yesno: return views.text(answer.value == "yes" ? "answer_yes" : "answer_no", in: language)
        case .date: return DisplayFormat.day(iso: answer.value, in: language)
        case .text, .postcode: return answer.value
        }
    }

    /// `POST /me/consents`: the member gives or withdraws one consent, as easily as the other. Kept in
    /// the ledger as their own act (source `member`), like a receipt from Vipps.
    func changeConsent(_ request: HTTPRequest, signedIn: SignedIn) async throws -> HTTPResponse {
        let language = VisitorLanguage.resolve(request, memberChoice: signedIn.language).language
        let form = request.formFields()
        guard CSRF.isValid(form, expected: signedIn.session.csrfToken) else { return try views.problem("csrf", in: language, status: .forbidden) }
        let sub = signedIn.member.profile.sub
        guard let id = form?["consent"], let answer = form?["accepted"], ["yes", "no"].contains(answer), !mapping.isTerms(id),
            try await ledger.current(sub: sub).contains(where: { $0.consentID == id })
        else {
            return try views.problem("bad_request", in: language, status: .badRequest)
        }
        let accepted = answer == "yes"
        let payload = String(
            decoding: try JSONSerialization.data(
                withJSONObject: ["by": "member", "consents": [["id": id, "accepted": accepted]]],
                options: [.sortedKeys]), as: UTF8.self)
        try await ledger.recordOwnChoice(sub: sub, consentID: id, accepted: accepted, payload: payload)
        return .redirect(to: "/me#consents")
    }

    func export(_ request: HTTPRequest, signedIn: SignedIn) async throws -> HTTPResponse {
        let sub = signedIn.member.profile.sub
        let member = signedIn.member
        let offer = try await offers?.find(member: sub)
        let object: [String: Any] = [
            "sub": sub,
            "welcomeOffer": offer.map {
                [
                    "code": $0.shown, "issuedAt": PosAPI.iso($0.issuedAt), "validUntil": PosAPI.iso($0.validUntil),
                    "redeemedAt": $0.redeemedAt.map(PosAPI.iso) as Any, "redeemedStore": $0.redeemedStore as Any,
                ]
            } as Any,
            "profile": [
                "name": member.profile.name as Any, "given_name": member.profile.givenName as Any, "family_name": member.profile.familyName as Any,
                "email": member.profile.email as Any, "email_verified": member.profile.emailVerified as Any,
                "phone_number": member.profile.phoneNumber as Any, "birthdate": member.profile.birthdate as Any,
                "address": member.profile.addressJSON.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) } as Any,
            ],
            "memberSince": PosAPI.iso(member.createdAt), "lastLogin": PosAPI.iso(member.lastLoginAt), "logins": member.loginCount,
            "language": member.language as Any,
            "consents": try await ledger.current(sub: sub).map {
                [
                    "id": $0.consentID, "accepted": $0.accepted, "changedAt": PosAPI.iso($0.changedAt),
                    "revokedReportedAt": $0.revokedReportedAt.map(PosAPI.iso) as Any,
                ]
            },
            "consentReceipts": try await ledger.receipts(sub: sub).map {
                [
                    "source": $0.source, "recordedAt": PosAPI.iso($0.recordedAt),
                    "payload": (try? JSONSerialization.jsonObject(with: Data($0.payload.utf8))) ?? $0.payload,
                ]
            },
            "agreements": try await agreements.all(sub: sub).map {
                [
                    "version": $0.version, "accepted": $0.accepted, "acceptedAt": PosAPI.iso($0.time),
                    "payload": (try? JSONSerialization.jsonObject(with: Data($0.payload.utf8))) ?? $0.payload,
                ]
            },
            "answers": try await answers.history(sub: sub).map {
                [
                    "question": $0.question, "value": $0.value, "answeredAt": PosAPI.iso($0.answeredAt),
                    "supersededAt": $0.supersededAt.map(PosAPI.iso) as Any,
                ]
            },
        ]
        let cleaned = Self.replacingNil(object)
        let data = (try? JSONSerialization.data(withJSONObject: cleaned, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        var response = HTTPResponse.json(Array(data))
        response.headers.set("Content-Disposition", "attachment; filename=\"velkommen-my-data.json\"")
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    func delete(_ request: HTTPRequest, signedIn: SignedIn) async throws -> HTTPResponse {
        let language = VisitorLanguage.resolve(request, memberChoice: signedIn.language).language
        let form = request.formFields()
        guard CSRF.isValid(form, expected: signedIn.session.csrfToken) else {
            return try views.problem("csrf", in: language, status: .forbidden)
        }
        guard form?["confirm"] == "yes" else {
            return try views.problem("delete_unconfirmed", in: language, status: .unprocessableContent)
        }
        _ = try await members.delete(sub: signedIn.member.profile.sub)
        if let phone = signedIn.member.profile.phoneNumber { try await limits.perPhone.forget(RateLimits.phoneKey(phone)) }
        var response = try views.problem("deleted", in: language, status: .ok)
        response.setCookie(try await sessions.end(request))
        return response
    }

    /// Replaced answers shown on the page; the export has them all.
    static let replacedShown = 20

    /// The current answers and the newest replaced ones, oldest first: a member who changes an answer
    /// every day for years still gets a page of one screen, not of megabytes.
    static func shown(_ history: [Answer]) -> [Answer] {
        let replaced = history.indices.filter { history[$0].supersededAt != nil }
        let hidden = Set(replaced.dropLast(replacedShown))
        return history.indices.filter { !hidden.contains($0) }.map { history[$0] }
    }

    static func address(_ json: String?) -> String? {
        guard let json, let address = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return nil }
        return (address["formatted"] as? String)?.replacingOccurrences(of: "\n", with: ", ")
    }

    /// The text the member saw for a consent in Vipps, from the newest login receipt that has it;
    /// never from a webhook (unsigned: anyone can send one).
    static func consentText(_ id: String, receipts: [ConsentReceipt]) -> String? {
        for receipt in receipts.reversed() where receipt.source == "login" {
            guard let object = try? JSONSerialization.jsonObject(with: Data(receipt.payload.utf8)) as? [String: Any],
                let consents = object["consents"] as? [[String: Any]]
            else { continue }
            if let text = consents.first(where: { $0["id"] as? String == id })?["textDisplayedToUser"] as? String { return text }
        }
        return nil
    }

    /// Where a consent's checkbox stood, for its details: the screen's title and description and the
    /// terms links the customer could open.
    static func context(_ json: String?) -> [String: Any]? {
        guard let json, let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return nil }
        var context: [String: Any] = [:]
        if let screen = object["screen"] as? String ?? object["heading"] as? String { context["screen"] = screen }
        if let description = object["description"] as? String ?? object["termsDescription"] as? String { context["description"] = description }
        var links = (object["links"] as? [[String: String]] ?? []).compactMap { link -> [String: String]? in
            guard let url = link["url"], Self.isWebAddress(url) else { return nil }
            return ["title": link["title"].flatMap { $0.isEmpty ? nil : $0 } ?? url, "url": url]
        }
        for key in ["termsLinkUrl", "privacyStatementLinkUrl"] {
            if let url = object[key] as? String, Self.isWebAddress(url) { links.append(["title": url, "url": url]) }
        }
        if !links.isEmpty { context["links"] = links }
        return context.isEmpty ? nil : context
    }

    /// The terms and privacy links of an accepted agreement, as the customer saw them: the stored object
    /// read by the same lenient type that read it at the login.
    static func agreementLinks(_ payload: String) -> [[String: String]] {
        guard let agreement = try? JSONDecoder().decode(Agreement.self, from: Data(payload.utf8)) else { return [] }
        return agreement.links.compactMap { link in
            guard let url = link.url, isWebAddress(url) else { return nil }
            return ["title": link.title ?? url, "url": url]
        }
    }

    /// Links from Vipps go on the page only as http(s): a `javascript:` address is never a link.
    static func isWebAddress(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("https://") || lower.hasPrefix("http://")
    }

    /// JSONSerialization cannot write Optional.none inside `Any`; it becomes null.
    static func replacingNil(_ value: Any) -> Any {
        if let dictionary = value as? [String: Any] { return dictionary.mapValues(replacingNil) }
        if let array = value as? [Any] { return array.map(replacingNil) }
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional { return mirror.children.first.map { replacingNil($0.value) } ?? NSNull() }
        return value
    }
}
