import Foundation
import Storage
import VippsLogin

/// A verified login from Vipps, turned into what Storage records (`Landings`), counted for metrics.
struct Landing: Sendable {
    let landings: Landings
    let mapping: ConsentMapping
    let metrics: AppMetrics

    /// Returns the consents this login changed from what the member had given before.
    @discardableResult
    func record(_ info: UserInfo, request: LoginRequest?, source: String, at time: Date) async throws -> [String: Bool] {
        let profile = MemberProfile(
            sub: info.sub, name: info.name, givenName: info.givenName, familyName: info.familyName,
            email: info.email, emailVerified: info.emailVerified, phoneNumber: info.phoneNumber,
            birthdate: info.birthdate, addressJSON: Self.addressJSON(info.address))
        let report = ConsentReport(info, mapping: mapping)
        let agreement = info.agreement.map { agreement in
            AgreementAcceptance(
                version: agreement.version, accepted: agreement.accepted, payload: info.agreementJSON ?? "{}", time: agreement.timestamp ?? time)
        }
        let outcome = try await landings.record(
            LandingRecord(
                profile: profile, request: request, source: source, consentsPayload: report?.payload, consents: report?.answers ?? [],
                agreement: agreement, time: time))
        metrics.login("confirmed")
        return outcome.changedConsents
    }

    /// The address as JSON, or nil for Vipps' address of empty strings.
    static func addressJSON(_ address: UserInfo.Address?) -> String? {
        guard let address, !address.isEmpty, let data = try? JSONEncoder().encode(address) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
