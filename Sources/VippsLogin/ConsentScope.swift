/// How a merchant collects consents inside the login: the scope asked for beside the profile.
public enum ConsentScope: String, Sendable, CaseIterable {
    /// The four fixed marketing consents (e-mail, SMS, digital, personal), configured per sales unit.
    case delegatedConsents
    /// The merchant's own screens and checkboxes from the portal's flow builder (recommended since 2026).
    case customFlow
    /// No consents asked in the login.
    case none

    /// The scope to request, nil for none.
    public var scope: String? { self == .none ? nil : rawValue }
}
