import Foundation
import Storage

/// The welcome offer at the till and in the POS API: who joined in a login (member number, short name,
/// new or not, the code they were given) and the redemption of a code, as JSON bodies and problems.
struct OfferDesk: Sendable {
    let offers: WelcomeOfferStore
    let settings: OfferSettingsStore
    let members: MemberStore
    let stores: StoreNames

    /// The member a confirmed (or landed, completed) login identified, and the offer it gave them.
    func joined(_ login: LoginRequest) async throws -> (member: PosAPIBody.MemberSummary, offer: PosAPIBody.WelcomeOfferSummary?)? {
        guard login.confirmedAt != nil, let sub = login.memberSub, let member = try await members.find(sub: sub) else { return nil }
        let profile = member.profile
        // New: the member was created by this login (a later login of theirs is not new).
        let isNew = member.createdAt >= login.createdAt
        let summary = PosAPIBody.MemberSummary(
            number: MemberNumber.digits(member.memberNumber),
            displayName: TillState.shortName(given: profile.givenName, family: profile.familyName, full: profile.name), new: isNew)
        guard isNew, let offer = try await offers.find(loginRequestID: login.id), offer.sub == sub else { return (summary, nil) }
        return (summary, try await self.summary(of: offer))
    }

    func summary(of offer: WelcomeOffer) async throws -> PosAPIBody.WelcomeOfferSummary {
        let words = try await settings.settings()
        return PosAPIBody.WelcomeOfferSummary(
            code: offer.shown, validUntil: PosAPI.iso(offer.validUntil), text: ["nb": words.textNB, "en": words.textEN],
            redeemedAt: offer.redeemedAt.map(PosAPI.iso))
    }

    /// Redeems the code typed, scanned or in the path, for `store` by the till `till` (`key:<prefix>`).
    func redeem(_ text: String, store: String, till: String, at time: Date = Date()) async throws -> Result<PosAPIBody.Redemption, Problem> {
        guard let code = WelcomeOfferStore.normalise(text) else { return .failure(Self.unknown) }
        switch try await offers.redeem(code: code, store: store, by: till, at: time) {
        case .redeemed(let offer, let number, _):
            let words = try await settings.settings()
            return .success(
                PosAPIBody.Redemption(
                    code: offer.shown, redeemedAt: PosAPI.iso(offer.redeemedAt ?? time), store: offer.redeemedStore ?? store,
                    memberNumber: MemberNumber.digits(number), text: ["nb": words.textNB, "en": words.textEN]))
        case .taken(let offer):
            let place = offer.redeemedStore.map { id in stores.name(of: id, in: .nb).map { "\($0) (\(id))" } ?? id } ?? "another store"
            let when = offer.redeemedAt.map(PosAPI.iso) ?? ""
            var problem = Problem(
                .conflict, "offer-already-redeemed", "This code has already been redeemed", detail: "Redeemed \(when) in \(place), by another till.")
            problem.redeemedAt = when
            problem.store = offer.redeemedStore
            return .failure(problem)
        case .unknown:
            return .failure(Self.unknown)
        case .expired(let offer):
            return .failure(
                Problem(.gone, "offer-expired", "This code has expired", detail: "It was valid until \(PosAPI.iso(offer.validUntil))."))
        case .erased:
            return .failure(Problem(.gone, "offer-member-erased", "This code is void", detail: "The member it was given to has left the club."))
        }
    }

    static let unknown = Problem(
        .notFound, "offer-not-found", "No such offer code", detail: "Check the code: eight letters and digits, such as K7QM-4XRD.")
}
