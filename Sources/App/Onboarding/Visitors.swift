import Content
import Foundation
import HTTPServer
import Storage

/// Who is behind a request: nobody (anonymous), or a member with a session.
struct SignedIn: Sendable {
    let session: Session
    let member: Member
    let consents: [ConsentState]

    /// The page audience and the values a page may show about this member (their store by its display
    /// name; a store without one stays empty, for the page's fallback).
    func viewer(stores: StoreNames) -> CustomerPages.Viewer {
        let accepted = Set(consents.filter { $0.accepted && $0.revokedReportedAt == nil }.map(\.consentID))
        var values: [Placeholder: String] = [:]
        values[.givenName] = member.profile.givenName ?? member.profile.name
        values[.familyName] = member.profile.familyName
        values[.name] = member.profile.name
        values[.store] = member.firstStore.flatMap { stores.name(of: $0, in: language ?? .nb) }
        return CustomerPages.Viewer(visitor: Visitor(isFirstVisit: member.loginCount <= 1, consents: accepted), values: values)
    }

    var language: Language? { member.language.flatMap(Language.init(rawValue:)) }
}

/// Resolves the member of a request from its session cookie.
struct Visitors: Sendable {
    let sessions: MemberSession
    let cache: SignedInCache

    func signedIn(_ request: HTTPRequest) async throws -> SignedIn? {
        guard let idHash = sessions.idHash(request) else { return nil }
        if let cached = cache.get(idHash) { return cached }
        guard let (session, member, consents) = try await sessions.store.signedIn(idHash: idHash) else { return nil }
        let signedIn = SignedIn(session: session, member: member, consents: consents)
        cache.put(idHash, signedIn)
        return signedIn
    }
}
