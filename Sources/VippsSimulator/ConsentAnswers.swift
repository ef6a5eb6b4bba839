import Foundation

/// What the customer answered in the app for one login, as userinfo will report it: the delegated
/// consents, the merchant's own flow (`customFlow`) and the terms (`agreement`). A nil part is not
/// reported: not asked for, or (with consent memory read as "first login only") remembered.
struct ConsentAnswers: Sendable, Equatable {
    var delegated: [String: Bool]?
    var flow: [String: Bool]?
    var agreementAcceptedAt: Date?
}

/// The answers given on the consent screens of one login; nil for a screen not shown.
struct AppAnswers: Sendable {
    var delegated: [String: Bool]?
    var flow: [String: Bool]?
    var agreement = false
}

/// How Vipps' consent memory (March 2025) shows in userinfo; Vipps' texts allow both readings.
public enum ConsentMemory: String, Codable, Sendable, CaseIterable {
    /// Remembered consents come back in every login's userinfo (the changelog's reading).
    case everyLogin
    /// The consents object is in userinfo only for the login where the customer answered (the agent
    /// toolkit's "present only that first time. Persist it").
    case firstLogin
}

/// The consent screens one login shows in the app.
struct ConsentScreens: Sendable {
    var delegated: [SimulatorConfiguration.Consent] = []
    var flow: [CustomFlowConfiguration.Screen] = []
    var agreement = false

    var isEmpty: Bool { delegated.isEmpty && flow.isEmpty && !agreement }

    /// The answers when `delegated` and `flow` are the ids ticked; a screen not shown answers nil.
    func answers(delegated ticked: Set<String>, flow flowTicked: Set<String>, agreement: Bool) -> AppAnswers {
        AppAnswers(
            delegated: delegated.isEmpty ? nil : Dictionary(uniqueKeysWithValues: delegated.map { ($0.id, ticked.contains($0.id)) }),
            flow: flow.isEmpty
                ? nil : Dictionary(flow.flatMap(\.checkboxes).map { ($0.id, flowTicked.contains($0.id)) }, uniquingKeysWith: { first, _ in first }),
            agreement: agreement)
    }
}
